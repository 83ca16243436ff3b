using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>
/// The recorded journal a verification replay runs against. The replay runs in lockstep with the record: the entry the
/// re-execution is about to write has the same index as the recorded one it must reproduce, which is how a
/// substituted activity finds its recorded result and how the replay clock finds the recorded time.
/// </summary>
internal sealed class ReplaySession(Guid originalInstanceId, IReadOnlyList<JournalRecord> recorded)
{
    public Guid OriginalInstanceId => originalInstanceId;

    public IReadOnlyList<JournalRecord> Recorded => recorded;

    /// <summary>Activity types whose recorded results stood in for a re-execution.</summary>
    public SortedSet<string> SubstitutedTypes { get; } = new(StringComparer.Ordinal);

    public bool ReExecutes(ActivityDescriptor descriptor) => descriptor.Replayable;

    public JournalRecord? At(long index) => index >= 0 && index < recorded.Count ? recorded[(int)index] : null;

    /// <summary>
    /// Plays back what the recorded execution did instead of running the activity: its evaluated inputs, outcome and
    /// outputs, bookmarks, variable changes and notes, or its failure. Without a matching record it does nothing,
    /// which the comparison then names.
    /// </summary>
    public void Substitute(ActivityExecutionContext context)
    {
        SubstitutedTypes.Add(context.Node.Type);
        // The execution's own Started/Resumed entry is already written: the next index is the record of its result.
        var index = context.Execution.Instance.JournalSequence;
        if (At(index) is not { } result || result.ActivityId != context.ActivityId) return;
        if (Parse(result.InputsJson) is JsonObject inputs)
            foreach (var (name, value) in inputs) context.EvaluatedInputs[name] = value?.DeepClone();

        for (var next = index + 1; At(next) is { } entry; next++)
        {
            if (entry.EventName == JournalEvents.ActivityScheduled) continue;
            if (entry.ActivityExecutionId != result.ActivityExecutionId) break;
            if (entry.EventName == JournalEvents.VariablesChanged && Parse(entry.OutputsJson) is JsonObject variables)
                foreach (var (name, value) in variables) context.SetVariable(name, value);
            else if (entry.EventName == JournalEvents.Note && entry.Message is { } note) context.AddJournalNote(note);
            else break;
        }

        switch (result.EventName)
        {
            case JournalEvents.ActivityCompleted:
                if (Parse(result.OutputsJson) is JsonObject outputs)
                    foreach (var (name, value) in outputs) context.Outputs[name] = value?.DeepClone();
                context.Complete((result.Outcome ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
                break;
            case JournalEvents.ActivitySuspended:
                foreach (var name in (result.Message ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)) context.CreateBookmark(name);
                break;
            case JournalEvents.ActivityFaulted:
                var message = result.Message ?? "";
                var attempt = message.LastIndexOf("（第 ", StringComparison.Ordinal);
                throw new RecordedFaultException(attempt < 0 ? message : message[..attempt]);
        }
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}

/// <summary>The recorded failure of a substituted activity, raised again so the engine handles it as it did then.</summary>
internal sealed class RecordedFaultException(string message) : Exception(message);

/// <summary>Tells the replayed engine the time the record says the next entry was written.</summary>
internal sealed class ReplayClock(Func<DateTimeOffset> now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now();
}
