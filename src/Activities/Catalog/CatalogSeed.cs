using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>A department named by a seed file: its key in the file, its name and its (fictitious) credit code.</summary>
public sealed record CatalogSeedDepartment(string Key, string Name, string? CreditCode);

/// <summary>One entry of a seed file: the department's key and the catalog-entry form's data.</summary>
public sealed record CatalogSeedEntry(string Department, JsonObject Data);

/// <summary>A seed file of definitions/catalog/ (see its README there).</summary>
public sealed record CatalogSeedFile(string? Source, string? Note, IReadOnlyList<CatalogSeedDepartment> Departments, IReadOnlyList<CatalogSeedEntry> Entries);

public sealed record CatalogSeedOptions
{
    /// <summary>Recorded as the actor of every change.</summary>
    public string Actor { get; init; } = "system:seed";

    /// <summary>The org unit of each department key of the file; a key not listed is taken as the org unit id itself.</summary>
    public IReadOnlyDictionary<string, string> Departments { get; init; } = new Dictionary<string, string>();

    /// <summary>Takes each new entry through review and registration to publication, so that it is in the catalog.</summary>
    public bool Publish { get; init; } = true;
}

/// <param name="Created">Resource codes of the entries this run created.</param>
/// <param name="Existing">Resource codes already in the catalog, left as they are.</param>
/// <param name="Failed">Entries the catalog refused (an unknown department, data the form rejects…), with the reason.</param>
public sealed record CatalogSeedResult(IReadOnlyList<string> Created, IReadOnlyList<string> Existing, IReadOnlyList<CatalogSeedFailure> Failed);

public sealed record CatalogSeedFailure(string ResourceCode, string ResourceName, WorkflowError Error);

/// <summary>
/// Builds catalog entries from a seed file (definitions/catalog/luohe-2020-batch1.json: real departments, resources and
/// information items of seed 003). Idempotent: an entry whose resource code the catalog has is left alone, so a second
/// run creates nothing. Each entry is created (and published) in one transaction of its own, through the same commands
/// and form checks as any other.
/// </summary>
public static class CatalogSeed
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    /// <exception cref="InvalidDataException">The file is not a seed file.</exception>
    public static CatalogSeedFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            var file = JsonSerializer.Deserialize<CatalogSeedFile>(File.ReadAllText(path), Json);
            if (file?.Departments is null || file.Entries is null || file.Entries.Any(e => e?.Department is null || e.Data is null))
                throw new InvalidDataException($"{path} is not a catalog seed file: it needs departments and entries with department and data.");
            return file;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    public static Task<CatalogSeedResult> LoadAsync(CatalogService catalog, string path, CatalogSeedOptions? options = null,
        CancellationToken cancellationToken = default) =>
        LoadAsync(catalog, Read(path), options, cancellationToken);

    public static async Task<CatalogSeedResult> LoadAsync(CatalogService catalog, CatalogSeedFile file, CatalogSeedOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(file);
        options ??= new CatalogSeedOptions();
        List<string> created = [], existing = [];
        List<CatalogSeedFailure> failed = [];
        foreach (var entry in file.Entries)
        {
            var text = entry.Data[CatalogFields.ResourceCode]?.GetValue<string>() ?? "";
            var code = DataSharing.Forms.ResourceCode.Parse(text, out _)?.ToString() ?? text;
            if (await catalog.FindByResourceCodeAsync(code, cancellationToken) is not null)
            {
                existing.Add(code);
                continue;
            }

            var orgUnit = options.Departments.GetValueOrDefault(entry.Department, entry.Department);
            var result = await catalog.RunAsync(options.Actor, (session, ct) => CreateAsync(session, orgUnit, entry.Data, options.Publish, ct), cancellationToken);
            if (result.IsSuccess) created.Add(result.Value.ResourceCode);
            else failed.Add(new CatalogSeedFailure(code, entry.Data[CatalogFields.ResourceName]?.GetValue<string>() ?? "", result.Error!));
        }

        return new CatalogSeedResult(created, existing, failed);
    }

    private static async Task<WorkflowResult<CatalogVersionView>> CreateAsync(CatalogSession session, string orgUnit, JsonObject data, bool publish,
        CancellationToken cancellationToken)
    {
        const string comment = "演示数据导入";
        var result = await session.CreateAsync(orgUnit, (JsonObject)data.DeepClone(), cancellationToken);
        if (!publish || !result.IsSuccess) return result;
        var id = result.Value.EntryId;
        foreach (var step in new Func<Task<WorkflowResult<CatalogVersionView>>>[]
                 {
                     () => session.SubmitAsync(id, comment, cancellationToken),
                     () => session.RegisterAsync(id, comment, cancellationToken),
                     () => session.PublishAsync(id, comment, cancellationToken),
                 })
        {
            result = await step();
            if (!result.IsSuccess) return result;
        }

        return result;
    }
}
