using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Runtime;

public sealed record StartWorkflowRequest(string DefinitionId)
{
    public JsonObject? Input { get; init; }
    public string? CorrelationId { get; init; }
    public string? Initiator { get; init; }

    /// <summary>A specific version; by default the published one.</summary>
    public int? Version { get; init; }
}

/// <summary>An open wait point of an instance.</summary>
public sealed record BookmarkInfo(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    string Name,
    string? CorrelationKey,
    JsonNode? Payload,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt);

/// <summary>Where an instance stands after a burst.</summary>
public sealed record RunResult(Guid InstanceId, string Status, IReadOnlyList<BookmarkInfo> Bookmarks, string? FaultMessage, JsonNode? Result);

public sealed record InstanceView(
    Guid Id,
    string DefinitionId,
    int DefinitionVersion,
    string Status,
    string? CorrelationId,
    string? Initiator,
    Guid? ParentInstanceId,
    JsonObject Input,
    JsonObject Variables,
    JsonObject Outputs,
    JsonNode? Result,
    string? FaultMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

public sealed record JournalEntryView(
    long Sequence,
    DateTimeOffset Timestamp,
    string EventName,
    string? ActivityId,
    string? ActivityType,
    Guid? ActivityExecutionId,
    string? Outcome,
    JsonNode? Inputs,
    JsonNode? Outputs,
    string? Actor,
    string? Message,
    string Hash);

public sealed record IncidentView(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    string ActivityType,
    int Attempt,
    string ErrorType,
    string Message,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy);
