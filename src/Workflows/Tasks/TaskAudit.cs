using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Builds the audit rows of task commands, with the task's state before and after.</summary>
internal static class TaskAudit
{
    private static long _sequence = DateTime.UnixEpoch.Ticks;

    public static long NextSequence() => Interlocked.Increment(ref _sequence);

    public static TaskActionRecord Action(TaskRecord task, string action, string actor, DateTime at, string? comment,
        JsonObject? before = null, JsonObject? after = null) => new()
    {
        Id = Guid.NewGuid(),
        InstanceId = task.InstanceId,
        TaskId = task.Id,
        Action = action,
        Actor = actor,
        At = at,
        Sequence = NextSequence(),
        Comment = comment,
        BeforeJson = before?.ToJsonString(JsonDefaults.Stored),
        AfterJson = (after ?? Snapshot(task)).ToJsonString(JsonDefaults.Stored),
    };

    /// <summary>The fields of a task that commands change.</summary>
    public static JsonObject Snapshot(TaskRecord task) => new()
    {
        ["status"] = task.Status,
        ["assignee"] = task.AssigneeId,
        ["owner"] = task.OwnerId,
        ["delegation"] = task.DelegationState,
        ["vote"] = task.Vote,
        ["outcome"] = task.Outcome,
        ["dueAt"] = task.DueAt is { } due ? JsonValue.Create(new DateTimeOffset(due, TimeSpan.Zero)) : null,
    };

    public static JsonObject With(this JsonObject snapshot, string key, JsonNode? value)
    {
        snapshot[key] = value;
        return snapshot;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, UserTask.Json);
}
