using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>Checks an instance's journal against its hash chain and the head recorded on the instance.</summary>
public sealed class JournalVerifier(WorkflowStore store)
{
    public async Task<JournalVerification?> VerifyAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (instance is null) return null;
        var entries = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        return Verify(instance, entries);
    }

    internal static JournalVerification Verify(InstanceRecord instance, IReadOnlyList<JournalRecord> entries)
    {
        var violations = new List<JournalViolation>();
        var previousHash = "";
        var previousSound = true;
        long expected = 1;
        var highest = Math.Max(instance.JournalSequence, entries.Count == 0 ? 0 : entries[^1].Sequence) + 1;
        foreach (var entry in entries)
        {
            var gap = entry.Sequence > expected;
            if (gap) violations.Add(Missing(expected, entry.Sequence - 1));

            var sound = JournalHasher.Compute(entry) == entry.Hash;
            if (!sound)
            {
                var original = FindOriginalSequence(entry, highest);
                violations.Add(original is { } seq
                    ? new JournalViolation(entry.Sequence, JournalViolationKinds.Reordered, $"第 {entry.Sequence} 条原为第 {seq} 条（顺序被调换）")
                    : new JournalViolation(entry.Sequence, JournalViolationKinds.Altered, $"第 {entry.Sequence} 条（{entry.EventName}）内容被修改"));
            }
            // A break right after an entry already reported (moved or altered) is that entry's doing, not a new one.
            else if (entry.PreviousHash != previousHash && !gap && previousSound)
            {
                violations.Add(new JournalViolation(entry.Sequence, JournalViolationKinds.Inserted,
                    $"第 {entry.Sequence} 条与前一条不衔接（其前有记录被插入或替换）"));
            }

            previousHash = entry.Hash;
            previousSound = sound;
            expected = entry.Sequence + 1;
        }

        var last = entries.Count == 0 ? 0 : entries[^1].Sequence;
        if (instance.JournalSequence > last)
            violations.Add(Missing(last + 1, instance.JournalSequence));
        else if (instance.JournalSequence < last)
            violations.Add(new JournalViolation(instance.JournalSequence + 1, JournalViolationKinds.Inserted,
                $"第 {instance.JournalSequence + 1} 至 {last} 条为事后追加"));
        else if (previousHash != instance.JournalHeadHash && violations.Count == 0)
            violations.Add(new JournalViolation(last, JournalViolationKinds.Altered, $"第 {last} 条与实例记录的链尾不符"));

        return new JournalVerification(instance.Id, entries.Count, violations);
    }

    private static JournalViolation Missing(long from, long to) => new(from, JournalViolationKinds.Missing,
        from == to ? $"第 {from} 条被删除" : $"第 {from} 至 {to} 条被删除");

    private static long? FindOriginalSequence(JournalRecord entry, long highest)
    {
        for (long candidate = 1; candidate <= highest; candidate++)
        {
            if (candidate != entry.Sequence && JournalHasher.Compute(entry, candidate) == entry.Hash) return candidate;
        }

        return null;
    }
}
