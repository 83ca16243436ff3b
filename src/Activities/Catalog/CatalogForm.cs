using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>The keys of the catalog-entry form (definitions/forms/catalog-entry.json) the catalog reads.</summary>
public static class CatalogFields
{
    public const string FormId = "catalog-entry";
    public const string ResourceName = "resourceName";
    public const string ResourceCode = "resourceCode";
    public const string ProviderCode = "providerCode";
    public const string FormatCategory = "formatCategory";
    public const string Items = "items";
    public const string ShareType = "shareType";
    public const string UpdateCycle = "updateCycle";
    public const string MountedTableName = "mountedTableName";
    public const string MountedFiles = "mountedFiles";
    public const string MountedApiName = "mountedApiName";

    /// <summary>The form's section filled only in the mount step (资源挂接), after publication.</summary>
    public const string MountSection = "mount";
}

/// <summary>One information item (信息项) of a version, read from the form's <c>items</c> table.</summary>
/// <param name="Type">C, N, Y, D, T, L, M, G, B, I or F (seed 002, 8.2 数据类型).</param>
public sealed record CatalogItem(string Name, string Type, int? Length, int? Decimals, string? Description);

/// <summary>A catalog entry's data after the form validated and normalised it, with the values the catalog indexes.</summary>
internal sealed record CatalogData(
    JsonObject Json, int FormVersion, string ResourceName, string ResourceCode, string ClassificationCode, int ShareType,
    string FormatCategory, string UpdateCycle)
{
    public static CatalogData From(JsonObject normalized, int formVersion)
    {
        var code = Text(normalized, CatalogFields.ResourceCode);
        var classification = DataSharing.Forms.ResourceCode.Parse(code, out _)?.ClassificationCode
            ?? throw new InvalidOperationException($"The form accepted a resource code that does not parse: {code}");
        return new CatalogData(normalized, formVersion, Text(normalized, CatalogFields.ResourceName), code, classification,
            normalized[CatalogFields.ShareType]!.Deserialize<int>(), Text(normalized, CatalogFields.FormatCategory),
            Text(normalized, CatalogFields.UpdateCycle));
    }

    private static string Text(JsonObject data, string key) =>
        data[key]?.GetValue<string>() ?? throw new InvalidOperationException($"The form accepted catalog data without {key}.");
}

/// <summary>
/// Every check of a catalog entry's data goes through the catalog-entry form schema and <see cref="FormValidator"/>:
/// the catalog keeps no second copy of the form's rules.
/// </summary>
internal sealed class CatalogForm(FormSchemaRegistry registry, FormValidator validator)
{
    public FormSchema Schema => registry.Get(CatalogFields.FormId);

    public FormSchema Version(int version) => registry.Get(CatalogFields.FormId, version);

    /// <summary>
    /// Checks the 13 core metadata and the information items as the compile step (编目) does: every field editable except
    /// the mount section, which the form reserves for the mount step after publication.
    /// </summary>
    public (FormValidationResult Result, int FormVersion) ValidateEntry(JsonObject data)
    {
        var schema = Schema;
        var mountKeys = MountKeys(schema);
        var permissions = new FormPermissions(mountKeys.ToDictionary(key => key, _ => FieldPermission.ReadOnly));
        return (validator.Validate(schema, data, permissions), schema.Version);
    }

    /// <summary>
    /// Checks the mount fields of one mount against the published data: only <paramref name="keys"/> are editable, so
    /// exactly the form's own rules about them run (e.g. 挂接库表名 is required when the share method is 库表).
    /// <paramref name="required"/> are required whatever the rules say (a table mount must name its table).
    /// </summary>
    public FormValidationResult ValidateMount(JsonObject published, int formVersion, JsonObject mount, IReadOnlyCollection<string> keys,
        IReadOnlyCollection<string> required)
    {
        var schema = Version(formVersion);
        if (required.Count > 0)
        {
            schema = schema with
            {
                Sections = schema.Sections.Select(section => section with
                {
                    Fields = section.Fields.Select(field => required.Contains(field.Key) ? field with { Required = true } : field).ToList(),
                }).ToList(),
            };
        }

        return validator.Validate(schema, mount, FormPermissions.EditableOnly(keys), published);
    }

    public static IReadOnlyList<CatalogItem> Items(JsonObject data) =>
        data[CatalogFields.Items] is JsonArray rows
            ? rows.OfType<JsonObject>().Select(row => new CatalogItem(
                row["name"]?.GetValue<string>() ?? "",
                row["type"]?.GetValue<string>() ?? "",
                row["length"]?.Deserialize<int?>(),
                row["decimals"]?.Deserialize<int?>(),
                row["description"]?.GetValue<string>())).ToList()
            : [];

    private static List<string> MountKeys(FormSchema schema) =>
        schema.Sections.Where(section => section.Key == CatalogFields.MountSection).SelectMany(section => section.Fields)
            .Select(field => field.Key).ToList();
}
