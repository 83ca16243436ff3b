using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>
/// The instance as it stood right after one journal entry, for the replay slider: where it was (<see cref="Position"/>:
/// activities executing or waiting), the way it came (<see cref="Completed"/> activities in order and the
/// <see cref="TakenConnections"/> <c>source:port→target</c>), and its data (variables and each activity's last outputs).
/// </summary>
public sealed record JournalSnapshot(
    long Sequence,
    DateTimeOffset Timestamp,
    string EventName,
    string? ActivityId,
    string? Actor,
    string? Message,
    int DefinitionVersion,
    string Status,
    IReadOnlyList<string> Position,
    IReadOnlyList<string> Completed,
    IReadOnlyList<string> TakenConnections,
    JsonObject Variables,
    JsonObject Outputs);

/// <summary>Derives the step-through snapshots from the journal alone (plus the declared variables of the start version).</summary>
public sealed class JournalSnapshots(WorkflowStore store)
{
    public async Task<IReadOnlyList<JournalSnapshot>?> GetAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (instance is null) return null;
        var entries = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        var startVersion = entries.FirstOrDefault(e => e.EventName == JournalEvents.InstanceMigrated)?.InputsJson is { } migration
            ? JsonNode.Parse(migration)!["fromVersion"]!.GetValue<int>()
            : instance.DefinitionVersion;
        var definition = await db.Definitions.AsNoTracking()
            .FirstOrDefaultAsync(d => d.DefinitionId == instance.DefinitionId && d.Version == startVersion, cancellationToken);
        var declared = definition is null ? [] : DefinitionSerializer.Deserialize(definition.Json).Variables;
        return Derive(entries, declared, startVersion);
    }

    internal static IReadOnlyList<JournalSnapshot> Derive(IReadOnlyList<JournalRecord> entries, IReadOnlyList<VariableDefinition> declared, int startVersion)
    {
        var state = new JournalState(startVersion);
        var snapshots = new List<JournalSnapshot>(entries.Count);
        foreach (var entry in entries)
        {
            state.Apply(entry, declared);
            snapshots.Add(state.Snapshot(entry));
        }

        return snapshots;
    }
}

/// <summary>The running fold over journal entries behind <see cref="JournalSnapshots"/>.</summary>
internal sealed class JournalState(int version)
{
    private readonly Dictionary<Guid, (string ActivityId, bool Waiting)> _executions = [];
    private readonly List<string> _completed = [];
    private readonly List<string> _connections = [];
    private JsonObject _input = [];
    private JsonObject _variables = [];
    private readonly JsonObject _outputs = [];
    private string _status = WorkflowStatus.Running;
    private int _version = version;

    public void Apply(JournalRecord entry, IReadOnlyList<VariableDefinition> declared)
    {
        var key = entry.ActivityExecutionId ?? Guid.Empty;
        switch (entry.EventName)
        {
            case JournalEvents.WorkflowStarted:
                _input = Parse(entry.InputsJson) as JsonObject ?? [];
                _variables = new JsonObject(declared.Select(v => KeyValuePair.Create(v.Name,
                    _input.TryGetPropertyValue(v.Name, out var given) ? given?.DeepClone() : v.Value?.DeepClone())));
                break;
            case JournalEvents.ActivityScheduled:
                _executions[key] = (entry.ActivityId!, false);
                if (entry.Message is { } via && via.StartsWith("via ", StringComparison.Ordinal)) _connections.Add($"{via[4..]}→{entry.ActivityId}");
                _status = WorkflowStatus.Running;
                break;
            case JournalEvents.ActivityStarted or JournalEvents.ActivityResumed:
                _executions[key] = (entry.ActivityId!, false);
                _status = WorkflowStatus.Running;
                break;
            case JournalEvents.ActivitySuspended:
                _executions[key] = (entry.ActivityId!, true);
                break;
            case JournalEvents.ActivityWaiting or JournalEvents.ActivityCancelled:
                _executions.Remove(key);
                break;
            case JournalEvents.ActivityCompleted:
                _executions.Remove(key);
                _completed.Add(entry.ActivityId!);
                if (Parse(entry.OutputsJson) is { } outputs) _outputs[entry.ActivityId!] = outputs;
                break;
            case JournalEvents.VariablesChanged when Parse(entry.OutputsJson) is JsonObject changes:
                foreach (var (name, value) in changes) _variables[name] = value?.DeepClone();
                break;
            case JournalEvents.TaskAction:
                ApplyFormSave(entry, _variables, _input);
                break;
            case JournalEvents.InstanceMigrated when Parse(entry.InputsJson) is { } migration:
                _version = migration["toVersion"]!.GetValue<int>();
                var mapping = migration["mapping"] as JsonObject ?? [];
                foreach (var (id, execution) in _executions.ToList())
                    if (mapping[execution.ActivityId]?.GetValue<string>() is { } moved) _executions[id] = (moved, execution.Waiting);
                foreach (var (name, value) in migration["variables"] as JsonObject ?? []) _variables[name] = value?.DeepClone();
                break;
            case JournalEvents.WorkflowFaulted:
                _status = WorkflowStatus.Faulted;
                break;
            case JournalEvents.IncidentRetried:
                _status = WorkflowStatus.Running;
                break;
            case JournalEvents.WorkflowFinished:
                _executions.Clear();
                _status = WorkflowStatus.Finished;
                break;
            case JournalEvents.WorkflowCancelled:
                _executions.Clear();
                _status = WorkflowStatus.Cancelled;
                break;
        }

        if (_status == WorkflowStatus.Running && _executions.Count > 0 && _executions.Values.All(e => e.Waiting)) _status = WorkflowStatus.Suspended;
    }

    public JournalSnapshot Snapshot(JournalRecord entry) => new(entry.Sequence, new DateTimeOffset(DateTime.SpecifyKind(entry.Timestamp, DateTimeKind.Utc)),
        entry.EventName, entry.ActivityId, entry.Actor, entry.Message, _version, _status,
        _executions.Values.Select(e => e.ActivityId).Distinct(StringComparer.Ordinal).ToList(), [.. _completed], [.. _connections],
        (JsonObject)_variables.DeepClone(), (JsonObject)_outputs.DeepClone());

    /// <summary>A saved form (a task command, not an activity) sets the form variable: the changed fields are the entry's outputs.</summary>
    public static void ApplyFormSave(JournalRecord entry, JsonObject variables, JsonObject input)
    {
        if (entry.EventName != JournalEvents.TaskAction || Parse(entry.OutputsJson) is not JsonObject after) return;
        if (entry.Outcome == TaskActions.RecordFacts)
        {
            foreach (var (name, value) in after) variables[name] = value?.DeepClone();
            return;
        }

        if (entry.Outcome != TaskActions.SaveForm) return;
        var form = (variables["form"] ?? input["form"])?.DeepClone() as JsonObject ?? [];
        // A field emptied by the save is recorded as null: a stored form never holds empty values (FormValidator).
        foreach (var (field, value) in after)
            if (value is null) form.Remove(field);
            else form[field] = value.DeepClone();
        variables["form"] = form;
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
