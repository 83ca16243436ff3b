using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>Appends to an instance's journal: the next sequence, chained to the head on the instance row.</summary>
internal static class JournalChain
{
    /// <summary>The algorithm of entries appended to a journal begun before algorithms were recorded: it stays SHA-256.</summary>
    public const string LegacyAlgorithm = HashAlgorithms.Sha256;

    public static JournalRecord Append(WorkflowDbContext db, InstanceRecord instance, DateTime now, string? actor, string eventName,
        string? activityId = null, string? activityType = null, Guid? executionId = null, string? outcome = null, string? inputsJson = null,
        string? outputsJson = null, string? message = null, string? records = null)
    {
        var entry = new JournalRecord
        {
            InstanceId = instance.Id,
            Sequence = instance.JournalSequence + 1,
            Timestamp = now,
            EventName = eventName,
            ActivityId = activityId,
            ActivityType = activityType,
            ActivityExecutionId = executionId,
            Outcome = outcome,
            InputsJson = inputsJson,
            OutputsJson = outputsJson,
            Actor = actor,
            Message = message,
            Records = records,
            Algorithm = instance.JournalAlgorithm ?? LegacyAlgorithm,
            PreviousHash = instance.JournalHeadHash,
            Hash = "",
        };
        entry.Hash = JournalHasher.Compute(entry);
        instance.JournalSequence = entry.Sequence;
        instance.JournalHeadHash = entry.Hash;
        db.Journal.Add(entry);
        return entry;
    }

    /// <summary>Sets the records an entry attests; the entry must be the head (the last appended) and unsaved.</summary>
    public static void Attest(InstanceRecord instance, JournalRecord head, string records)
    {
        if (head.InstanceId != instance.Id || head.Sequence != instance.JournalSequence)
            throw new InvalidOperationException($"Entry {head.Sequence} is not the head of instance {instance.Id}'s journal.");
        head.Records = string.IsNullOrEmpty(head.Records) ? records : head.Records + "\n" + records;
        head.Hash = JournalHasher.Compute(head);
        instance.JournalHeadHash = head.Hash;
    }
}
