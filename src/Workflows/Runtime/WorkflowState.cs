using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>What an instance carries between bursts, stored as JSON on the instance row.</summary>
internal sealed class WorkflowState
{
    public JsonObject Input { get; set; } = [];
    public JsonObject Variables { get; set; } = [];

    /// <summary>The last outputs of each activity, by activity id and output name.</summary>
    public JsonObject Outputs { get; set; } = [];

    /// <summary>Per join: the inbound connections (source:port) that have arrived since it last fired.</summary>
    public Dictionary<string, List<string>> JoinArrivals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Work that was scheduled but not run when the instance faulted; it runs when the incident is retried.</summary>
    public List<PendingWork> Pending { get; set; } = [];

    public JsonNode? Result { get; set; }

    /// <summary>What modules keep with the instance (e.g. the stage clocks of human steps), by module key.</summary>
    public JsonObject Data { get; set; } = [];

    public string Serialize() => JsonSerializer.Serialize(this, JsonDefaults.Stored);

    public static WorkflowState Deserialize(string json) => JsonSerializer.Deserialize<WorkflowState>(json, JsonDefaults.Stored) ?? new WorkflowState();
}

internal sealed record PendingWork(string ActivityId, Guid ExecutionId, int Attempt, string? Via);
