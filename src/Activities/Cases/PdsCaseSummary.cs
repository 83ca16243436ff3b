using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Cases;

/// <summary>
/// What each of the platform's processes is about, in one line for the lists: the resource and its provider for a
/// subscription, the interface for an interface request, the account for an account application, the catalog entry,
/// the objection's resource and problem. Choice fields are shown by their labels in the form's schema.
/// </summary>
public sealed class PdsCaseSummary(IServiceProvider services) : ICaseSummary
{
    private const string Separator = " · ";

    private static readonly Dictionary<string, (string FormId, string[] Fields)> Shapes = new(StringComparer.Ordinal)
    {
        ["subscription"] = ("resource-subscription", ["resourceType", "resourceName", "providerDepartment"]),
        ["provincial-resource"] = ("resource-subscription", ["resourceType", "resourceName", "providerDepartment"]),
        ["interface-request"] = ("interface-request", ["interfaceName", "providerUnit"]),
        ["account-platform"] = ("account-platform", ["requestType", "existingAccount"]),
        ["account-frontend"] = ("account-database-ftp", ["accountType", "requestType", "existingAccount"]),
        ["catalog-municipal"] = ("catalog-entry", ["resourceName", "resourceCode"]),
        ["catalog-county"] = ("catalog-entry", ["resourceName", "resourceCode"]),
        ["catalog-change"] = ("catalog-entry", ["resourceName", "resourceCode"]),
        ["objection"] = ("data-objection", ["resourceName", "problemTypes"]),
    };

    public string? Summarize(string definitionId, JsonObject variables)
    {
        // The interface sweep's revoke case carries its own summary (the authorisation it is about).
        if (variables["summary"] is JsonValue given && given.TryGetValue<string>(out var text)) return text;
        if (!Shapes.TryGetValue(definitionId, out var shape) || variables["form"] is not JsonObject form) return null;
        FormSchema? schema = null;
        services.GetService<FormSchemaRegistry>()?.TryGet(shape.FormId, out schema);
        var parts = shape.Fields.Select(key => Display(schema?.FindField(key), form[key])).Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count == 0 ? null : string.Join(Separator, parts);
    }

    private static string? Display(FormField? field, JsonNode? value) => value switch
    {
        null => null,
        JsonArray items => string.Join("、", items.Select(item => Display(field, item)).Where(p => !string.IsNullOrWhiteSpace(p))),
        JsonValue scalar => field?.Options?.FirstOrDefault(o => JsonNode.DeepEquals(o.Value, scalar))?.Label ?? scalar.ToString().Trim(),
        _ => null,
    };
}
