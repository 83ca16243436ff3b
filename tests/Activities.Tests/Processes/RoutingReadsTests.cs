using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// No shipped definition routes on a value only the client supplied (issue #13): every branch condition and every
/// assignment reads either what the platform derived from its records (<see cref="RecordedFactsService"/>), a form
/// field the platform fills, a variable an activity of the case set, or one of the few choices that are the applicant's
/// to make and are checked against the records (listed below with why). A new definition or branch that reads anything
/// else fails here. Host.Tests' RoutingBypassTests send contradicting values over HTTP.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed partial class RoutingReadsTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    /// <summary>Form fields a branch may read although the applicant fills them: each is checked against the platform's records.</summary>
    private static readonly Dictionary<string, string> CheckedChoices = new(StringComparer.Ordinal)
    {
        ["resourceType"] = "subscription: a table or files; refused unless the catalog entry has that kind mounted (ResourceFacts)",
        ["consentDocument"] = "accounts: the parent department's or county authority's consent, an attachment uploaded to this case (FormSubmissionChecker)",
        ["mountedTableName"] = "catalog: the provider's own department mounts its own resource; the catalog checks the mount",
        ["mountedFiles"] = "catalog: as mountedTableName",
    };

    /// <summary>Start inputs a branch may read although the client gives them.</summary>
    private static readonly Dictionary<string, string> ClientChoices = new(StringComparer.Ordinal)
    {
        ["requestKind"] = "provincial data: whether the applicant asks for tables and files or an interface (the form they fill)",
    };

    public static IEnumerable<TestCaseData> ShippedDefinitionFiles() =>
        Directory.GetFiles(Path.Combine(ShippedData.RepositoryRoot, "definitions"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileNameWithoutExtension(f)).SetName($"{Path.GetFileNameWithoutExtension(f)} routes only on the platform's records"));

    [TestCaseSource(nameof(ShippedDefinitionFiles))]
    public async Task Branches_and_assignments_read_only_what_the_platform_settled(string definitionId)
    {
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ShippedData.RepositoryRoot, "definitions", definitionId + ".json")))!.AsObject();
        var activities = definition["root"]!["activities"]!.AsArray().OfType<JsonObject>().ToList();
        var facts = Services.GetRequiredService<RecordedFactsService>();
        var forms = Services.GetRequiredService<FormSchemaRegistry>();
        var derived = facts.DerivedVariables(definitionId);
        var setByActivities = activities.Where(a => a["type"]!.GetValue<string>() == "SetVariable")
            .Select(a => a["variable"]?["expression"]?["value"]?.GetValue<string>()).OfType<string>().ToHashSet();
        var formIds = activities.Select(a => a["form"]?["expression"]?["value"]?.GetValue<string>()).OfType<string>().Distinct().ToList();
        var platformFields = formIds.SelectMany(id => forms.Get(id).Fields).Where(f => f.IsFilledByPlatform).Select(f => f.Key).ToHashSet();
        var hasApplicantStep = activities.Any(a => Literal(a, "assignment")?["kind"]?.GetValue<string>() == "initiator");
        // A catalog process is started by its provider department for itself: the Host sets providerOrgUnitId to the caller's unit.
        var serverStart = definitionId.StartsWith("catalog-", StringComparison.Ordinal) ? new HashSet<string> { "providerOrgUnitId" } : [];
        // A revocation is started by the platform's own sweep or by a bureau admin, never by an applicant.
        if (!hasApplicantStep && definitionId == "interface-revoke") serverStart.UnionWith(["authorizationId", "providerOrgUnitId", "summary"]);

        var problems = new List<string>();
        foreach (var (where, script) in RoutingExpressions(activities))
        {
            foreach (Match read in FormRead().Matches(script))
            {
                var field = read.Groups[1].Value;
                if (!platformFields.Contains(field) && !CheckedChoices.ContainsKey(field)) problems.Add($"{where} reads the applicant's form field {field}");
            }

            foreach (Match read in VariableRead().Matches(script))
            {
                var name = read.Groups[1].Value;
                if (name == "form") continue;
                if (!derived.Contains(name) && !setByActivities.Contains(name) && !serverStart.Contains(name) && !ClientChoices.ContainsKey(name))
                    problems.Add($"{where} reads variable {name}, which the platform did not derive");
            }
        }

        foreach (var task in activities.Where(a => a["type"]!.GetValue<string>() == "UserTask"))
        {
            for (var spec = Literal(task, "assignment"); spec is not null; spec = spec["fallback"] as JsonObject)
            {
                var scope = spec["scope"]?.GetValue<string>();
                if (scope == "provider" && !derived.Contains("providerOrgUnitId") && !serverStart.Contains("providerOrgUnitId"))
                    problems.Add($"{task["id"]} is assigned to the provider, which the platform does not derive for {definitionId}");
                if (spec["kind"]?.GetValue<string>() == "formField" && !platformFields.Contains(spec["field"]?.GetValue<string>() ?? ""))
                    problems.Add($"{task["id"]} is assigned to a user the applicant names");
            }
        }

        Assert.That(problems, Is.Empty);
    }

    /// <summary>The scripts that decide where a case goes: branch conditions and the inputs that pick a target or a level.</summary>
    private static IEnumerable<(string Where, string Script)> RoutingExpressions(IEnumerable<JsonObject> activities)
    {
        foreach (var activity in activities)
        {
            var id = activity["id"]!.GetValue<string>();
            switch (activity["type"]!.GetValue<string>())
            {
                case "Decision":
                    yield return ($"{id}.condition", Script(activity, "condition"));
                    break;
                case "Switch":
                    foreach (var c in (activity["cases"]?["expression"]?["value"] as JsonArray ?? []).OfType<JsonObject>())
                        yield return ($"{id}.{c["label"]}", c["condition"]!.GetValue<string>());
                    break;
                default:
                    foreach (var input in new[] { "targetLevel", "kind", "entryId", "providerOrgUnitId" })
                        if (activity.ContainsKey(input)) yield return ($"{id}.{input}", Script(activity, input));
                    break;
            }
        }
    }

    private static string Script(JsonObject activity, string input) => activity[input]?["expression"]?["value"]?.ToString() ?? "";

    private static JsonObject? Literal(JsonObject activity, string input) =>
        activity[input]?["expression"] is JsonObject { } e && e["type"]?.GetValue<string>() == "Literal" ? e["value"] as JsonObject : null;

    [GeneratedRegex(@"variables\.form\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex FormRead();

    [GeneratedRegex(@"variables\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariableRead();
}
