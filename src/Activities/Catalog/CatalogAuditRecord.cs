using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>One change of the catalog: who, when, why, and what (the status before and after, the details).</summary>
public sealed class CatalogAuditRecord
{
    public Guid Id { get; init; }
    public Guid EntryId { get; init; }

    /// <summary>1, 2, … per entry: the order of the entry's history, even for changes made at the same instant.</summary>
    public int Sequence { get; internal set; }

    public Guid? VersionId { get; init; }
    public int? VersionNumber { get; init; }
    public CatalogAction Action { get; init; }
    public CatalogStatus? FromStatus { get; init; }
    public CatalogStatus? ToStatus { get; init; }
    public required string Actor { get; init; }
    public DateTime At { get; init; }

    /// <summary>The comment, reason or problems given (zh-CN, as typed).</summary>
    public string? Reason { get; init; }

    /// <summary>JSON: the fields changed, the problems listed, the mount made…</summary>
    public string? DetailsJson { get; init; }

    /// <summary>The workflow instance and activity that made the change, when an activity made it.</summary>
    public Guid? InstanceId { get; init; }

    public string? ActivityId { get; init; }

    internal static CatalogAuditRecord Of(CatalogVersion version, CatalogAction action, CatalogStatus? from, CatalogActor actor, DateTime at,
        string? reason, JsonObject? details) => new()
        {
            Id = Guid.NewGuid(),
            EntryId = version.EntryId,
            VersionId = version.Id,
            VersionNumber = version.Number,
            Action = action,
            FromStatus = from,
            ToStatus = version.Status,
            Actor = actor.Id,
            At = at,
            Reason = reason,
            DetailsJson = details?.ToJsonString(CatalogJson.Stored),
            InstanceId = actor.InstanceId,
            ActivityId = actor.ActivityId,
        };

    internal static CatalogAuditRecord OfEntry(Guid entryId, CatalogAction action, CatalogActor actor, DateTime at, string? reason, JsonObject? details) => new()
    {
        Id = Guid.NewGuid(),
        EntryId = entryId,
        Action = action,
        Actor = actor.Id,
        At = at,
        Reason = reason,
        DetailsJson = details?.ToJsonString(CatalogJson.Stored),
        InstanceId = actor.InstanceId,
        ActivityId = actor.ActivityId,
    };
}
