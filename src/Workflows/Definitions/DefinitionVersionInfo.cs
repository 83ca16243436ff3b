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
    DateTimeOffset? RetractedAt)
{
    /// <summary><see cref="VersionStates"/>: published, draft (never published), retracted (撤销发布), or superseded by a later version.</summary>
    public string State { get; init; } = VersionStates.Draft;

    /// <summary>The version whose publication superseded this one.</summary>
    public int? SupersededBy { get; init; }

    /// <summary>What the admin wrote when publishing it (发布说明).</summary>
    public string? ReleaseNote { get; init; }
}

public static class VersionStates
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Retracted = "retracted";
    public const string Superseded = "superseded";
}
