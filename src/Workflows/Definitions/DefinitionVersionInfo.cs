namespace PdsWorkflow.Workflows.Definitions;

public sealed record DefinitionVersionInfo(
    Guid Id,
    string DefinitionId,
    int Version,
    string? Name,
    bool IsLatest,
    bool IsPublished,
    string ContentHash,
    string? Source,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? PublishedAt,
    string? PublishedBy,
    DateTimeOffset? RetractedAt);
