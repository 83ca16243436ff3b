using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>One version as search results list it: the indexed metadata, without the form's data.</summary>
public sealed record CatalogVersionSummary(
    Guid EntryId,
    Guid VersionId,
    int Number,
    CatalogStatus Status,
    string StatusName,
    string ResourceCode,
    string ResourceName,
    string ClassificationCode,
    string ProviderOrgUnitId,
    int ShareType,
    string FormatCategory,
    string UpdateCycle,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt)
{
    /// <summary>
    /// The catalog metadata's 发布日期 (CCYY-MM-DD, 002 附件1), which the list shows as the entry page does; <see cref="PublishedAt"/>
    /// is when the platform published this version.
    /// </summary>
    public string? PublishDate { get; init; }

    internal static CatalogVersionSummary From(CatalogVersion v, string providerOrgUnitId) => new(
        v.EntryId, v.Id, v.Number, v.Status, CatalogText.Name(v.Status), v.ResourceCode, v.ResourceName, v.ClassificationCode,
        providerOrgUnitId, v.ShareType, v.FormatCategory, v.UpdateCycle, Utc(v.UpdatedAt), Utc(v.PublishedAt))
    {
        PublishDate = v.Data["publishDate"] is JsonValue date && date.TryGetValue<string>(out var text) ? text : null,
    };

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    internal static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}

/// <summary>One version in full: the form's data (normalised), its information items, and its lifecycle facts.</summary>
public sealed record CatalogVersionView(
    Guid EntryId,
    Guid VersionId,
    int Number,
    CatalogStatus Status,
    string StatusName,
    string ResourceCode,
    string ResourceName,
    string ClassificationCode,
    string ProviderOrgUnitId,
    int ShareType,
    string FormatCategory,
    string UpdateCycle,
    int FormVersion,
    JsonObject Data,
    IReadOnlyList<CatalogItem> Items,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset StatusChangedAt,
    string StatusChangedBy,
    DateTimeOffset? PublishedAt,
    string? PublishedBy,
    IReadOnlyList<string> ReturnProblems,
    string? RevisionReason,
    DateTimeOffset? UpdateDueAt)
{
    internal static CatalogVersionView From(CatalogVersion v, string providerOrgUnitId)
    {
        var data = v.Data;
        return new CatalogVersionView(v.EntryId, v.Id, v.Number, v.Status, CatalogText.Name(v.Status), v.ResourceCode, v.ResourceName,
            v.ClassificationCode, providerOrgUnitId, v.ShareType, v.FormatCategory, v.UpdateCycle, v.FormVersion, data, CatalogForm.Items(data),
            CatalogVersionSummary.Utc(v.CreatedAt), v.CreatedBy, CatalogVersionSummary.Utc(v.UpdatedAt), v.UpdatedBy,
            CatalogVersionSummary.Utc(v.StatusChangedAt), v.StatusChangedBy, CatalogVersionSummary.Utc(v.PublishedAt), v.PublishedBy,
            v.ReturnProblems, v.RevisionReason, CatalogVersionSummary.Utc(v.UpdateDueAt));
    }
}

/// <summary>
/// A mounted resource as listed with its entry. <see cref="Target"/> is the table, the folder or the interface's
/// upstream address; the Host leaves an interface's address out (null) for anybody outside the provider's scope and the
/// bureau: consumers call the gateway, never the upstream.
/// </summary>
public sealed record CatalogMountView(
    Guid Id,
    CatalogMountKind Kind,
    string KindName,
    string? Target,
    string? Name,
    IReadOnlyList<CatalogMountedFile> Files,
    string? Description,
    DateTimeOffset MountedAt,
    string MountedBy)
{
    internal static CatalogMountView From(CatalogMount m) => new(m.Id, m.Kind, CatalogText.Name(m.Kind), m.Target, m.Name,
        m.FilesJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<CatalogMountedFile>>(m.FilesJson, CatalogJson.Stored) ?? [],
        m.Description, CatalogVersionSummary.Utc(m.MountedAt), m.MountedBy);
}

/// <summary>
/// An entry: the published version the catalog shows, the version in progress (a draft of a change, say), every version
/// in order, and the resources mounted on it.
/// </summary>
public sealed record CatalogEntryView(
    Guid EntryId,
    string ResourceCode,
    string ProviderOrgUnitId,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    CatalogVersionView? Published,
    CatalogVersionView? InProgress,
    IReadOnlyList<CatalogVersionSummary> Versions,
    IReadOnlyList<CatalogMountView> Mounts,
    CatalogSource? Source = null);

/// <summary>One row of an entry's history.</summary>
public sealed record CatalogAuditView(
    DateTimeOffset At,
    string Actor,
    CatalogAction Action,
    string ActionName,
    int? VersionNumber,
    CatalogStatus? FromStatus,
    CatalogStatus? ToStatus,
    string? Reason,
    JsonNode? Details,
    Guid? InstanceId,
    string? ActivityId)
{
    internal static CatalogAuditView From(CatalogAuditRecord a) => new(CatalogVersionSummary.Utc(a.At), a.Actor, a.Action, CatalogText.Name(a.Action),
        a.VersionNumber, a.FromStatus, a.ToStatus, a.Reason, a.DetailsJson is null ? null : JsonNode.Parse(a.DetailsJson), a.InstanceId, a.ActivityId);
}

/// <summary>
/// A catalog search. Everyone sees published versions only; <see cref="AllVersions"/> (for platform admins: the Host
/// decides who may) lists every version of every entry, and only then does <see cref="Status"/> apply.
/// </summary>
public sealed record CatalogQuery
{
    /// <summary>Part of the resource name (信息资源名称包含).</summary>
    public string? Name { get; init; }

    /// <summary>The provider department's org unit.</summary>
    public string? ProviderOrgUnitId { get; init; }

    /// <summary>A prefix of the classification code: 类 ("3"), 类项 ("341"), 类项目 ("341400") or deeper.</summary>
    public string? Classification { get; init; }

    /// <summary>1 无条件共享, 2 有条件共享, 3 不予共享.</summary>
    public int? ShareType { get; init; }

    /// <summary>信息资源格式分类: document, spreadsheet, database, image, media, selfDescribing, other.</summary>
    public string? FormatCategory { get; init; }

    public CatalogStatus? Status { get; init; }

    public bool AllVersions { get; init; }

    /// <summary>From 1.</summary>
    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 20;
}

public sealed record CatalogPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
