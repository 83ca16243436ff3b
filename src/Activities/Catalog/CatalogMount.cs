using System.Text.Encodings.Web;
using System.Text.Json;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>The kinds of data resource mounted on a published entry (资源挂接, seed 000 P3 step 5).</summary>
public enum CatalogMountKind
{
    /// <summary>A table of the provider's front-end exchange database (前置库).</summary>
    Table,

    /// <summary>A folder of files on the exchange's file service.</summary>
    File,

    /// <summary>An interface (API) endpoint the platform proxies.</summary>
    Api,
}

/// <summary>
/// What a department mounts. The form-backed parts are checked by the catalog-entry form's mount fields and reported
/// under their keys: <see cref="TableName"/> as <c>mountedTableName</c>, <see cref="Files"/> as <c>mountedFiles</c>
/// (<c>mountedFiles[0].fileName</c>…), <see cref="ApiName"/> as <c>mountedApiName</c>. The parts the form does not have
/// are checked here and reported as <c>folder</c>, <c>endpoint</c> and <c>description</c>.
/// </summary>
public sealed record CatalogMountRequest(CatalogMountKind Kind)
{
    /// <summary>Table: the front-end database table, e.g. T_JMSFZ_XX.</summary>
    public string? TableName { get; init; }

    /// <summary>File: the folder on the file service, an absolute path such as /gaj/jmsfz.</summary>
    public string? Folder { get; init; }

    /// <summary>File: the files the folder holds, when known (required when the entry shares by 文件).</summary>
    public IReadOnlyList<CatalogMountedFile> Files { get; init; } = [];

    /// <summary>Interface: its name.</summary>
    public string? ApiName { get; init; }

    /// <summary>Interface: the endpoint, an http or https URL.</summary>
    public string? Endpoint { get; init; }

    public string? Description { get; init; }
}

/// <param name="FileName">A name or extension in the formats of 001 第八条 (wps, doc, xml, txt, docx, html, ppt, et, xls, csv).</param>
public sealed record CatalogMountedFile(string FileName, string? Description = null);

/// <summary>A data resource mounted on an entry; removing it keeps the row, marked removed, for the record.</summary>
public sealed class CatalogMount
{
    public Guid Id { get; init; }
    public Guid EntryId { get; init; }
    public CatalogMountKind Kind { get; init; }

    /// <summary>The table name, the folder, or the endpoint.</summary>
    public required string Target { get; init; }

    /// <summary>The interface's name (API mounts).</summary>
    public string? Name { get; init; }

    /// <summary>File mounts: the files listed, a JSON array of {fileName, description}.</summary>
    public string? FilesJson { get; init; }

    public string? Description { get; init; }
    public DateTime MountedAt { get; init; }
    public required string MountedBy { get; init; }
    public DateTime? RemovedAt { get; private set; }
    public string? RemovedBy { get; private set; }
    public string? RemovedReason { get; private set; }

    internal bool IsActive => RemovedAt is null;

    internal void Remove(CatalogActor actor, DateTime at, string reason)
    {
        RemovedAt = at;
        RemovedBy = actor.Id;
        RemovedReason = reason;
    }
}

internal static class CatalogJson
{
    /// <summary>Chinese text stays readable in the stored JSON.</summary>
    public static JsonSerializerOptions Stored { get; } = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
