using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// Read-only views of the engine: activity descriptors (for the designer), definitions and their versions, instances,
/// journals and their verification. All of them for signed-in users; a case's views also within its scope.
/// </summary>
public static class EngineEndpoints
{
    public static IEndpointRouteBuilder MapEngineEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed in, like every read of the API: definitions include unpublished drafts.
        var api = app.MapGroup("/api").WithTags("Engine").RequireAuthorization();
        api.MapGet("/activity-descriptors", (ActivityRegistry registry) => Results.Ok(registry.Descriptors.OrderBy(d => d.Category).ThenBy(d => d.Type)));

        api.MapGet("/definitions", async (WorkflowDefinitionStore store, CancellationToken ct) => Results.Ok(await store.ListAsync(ct)));
        api.MapGet("/definitions/{definitionId}", async (string definitionId, int? version, WorkflowDefinitionStore store, CancellationToken ct) =>
            await store.GetAsync(definitionId, version, ct) is { } definition
                ? Results.Text(DefinitionSerializer.Serialize(definition), "application/json; charset=utf-8")
                : Problems.NotFound("definition_not_found", $"找不到流程定义“{definitionId}”" + (version is null ? "" : $"的版本 {version}") + "。"));
        api.MapGet("/definitions/{definitionId}/versions", async (string definitionId, WorkflowDefinitionStore store, WorkflowStore workflows, CancellationToken ct) =>
            await store.ListVersionsAsync(definitionId, ct) is { Count: > 0 } versions
                ? Results.Ok(await WithNamesAsync(versions, workflows, ct))
                : Problems.NotFound("definition_not_found", $"找不到流程定义“{definitionId}”。"));

        // A case's engine views follow the same scope as its tracking page (docs/api.md): signed in, and 404 outside scope.
        var instances = api.MapGroup("/instances/{id:guid}").AddEndpointFilter(CaseScope.Filter);
        instances.MapGet("", async (Guid id, WorkflowQueries queries, CancellationToken ct) =>
            await queries.GetInstanceAsync(id, ct) is { } instance ? Results.Ok(instance) : InstanceNotFound(id));
        instances.MapGet("/journal", async (Guid id, WorkflowQueries queries, CancellationToken ct) =>
            await queries.GetInstanceAsync(id, ct) is null ? InstanceNotFound(id) : Results.Ok(await queries.GetJournalAsync(id, ct)));
        instances.MapGet("/incidents", async (Guid id, WorkflowQueries queries, CancellationToken ct) =>
            await queries.GetInstanceAsync(id, ct) is null ? InstanceNotFound(id) : Results.Ok(await queries.GetIncidentsAsync(id, ct)));
        instances.MapGet("/verify", async (Guid id, JournalVerifier verifier, CancellationToken ct) =>
            await verifier.VerifyAsync(id, ct) is { } verification
                ? Results.Ok(new { verification.InstanceId, verification.IsIntact, verification.EntryCount, verification.Verdict, verification.Violations })
                : InstanceNotFound(id));
        return app;
    }

    /// <summary>Each version with who created and who published it by name (<c>createdByName</c>, <c>publishedByName</c>).</summary>
    private static async Task<List<JsonObject>> WithNamesAsync(IReadOnlyList<DefinitionVersionInfo> versions, WorkflowStore workflows, CancellationToken ct)
    {
        await using var db = await workflows.CreateContextAsync(ct);
        var names = await PeopleNames.OfAsync(db, versions.SelectMany(v => new[] { v.CreatedBy, v.PublishedBy }), ct);
        return versions.Select(v =>
        {
            var view = JsonSerializer.SerializeToNode(v, Json)!.AsObject();
            view["createdByName"] = v.CreatedBy is { } creator ? names[creator] : null;
            view["publishedByName"] = v.PublishedBy is { } publisher ? names[publisher] : null;
            return view;
        }).ToList();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static IResult InstanceNotFound(Guid id) => Problems.NotFound("instance_not_found", $"找不到流程实例 {id}。");
}
