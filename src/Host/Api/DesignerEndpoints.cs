using System.Security.Claims;
using System.Text.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>What a draft save or an import answers: the version written and what would stop it from being published.</summary>
/// <remarks><see cref="Warnings"/> do not stop publishing: an outcome with no connection, a step no connection leaves.</remarks>
public sealed record DraftSaved(DefinitionVersionInfo Version, bool Valid, IReadOnlyList<DefinitionError> Errors, IReadOnlyList<DefinitionError> Warnings);

public sealed record DefinitionCheck(bool Valid, IReadOnlyList<DefinitionError> Errors, IReadOnlyList<DefinitionError> Warnings);

/// <summary>The body of a publication: the release note (发布说明) the version keeps; optional.</summary>
public sealed record PublishRequest(string? ReleaseNote);

/// <summary>
/// An instance an admin may pick for migration: its version and the steps it waits at (ids, and in <see cref="Steps"/>
/// with their names in the instance's version), told apart by its 业务编号, summary and applicant's name.
/// </summary>
public sealed record MigratableInstance(Guid Id, int DefinitionVersion, string Status, string? Initiator, DateTimeOffset CreatedAt, IReadOnlyList<string> CurrentSteps)
{
    public string? BusinessNumber { get; init; }

    public string? Summary { get; init; }

    public string? InitiatorName { get; init; }

    public IReadOnlyList<StepName> Steps { get; init; } = [];
}

/// <summary>A step of a definition version by its id and the name the designer gave it.</summary>
public sealed record StepName(string Id, string Name);

/// <summary>
/// The designer's endpoints, for workflow admins: draft save, validate, publish, retract, revert, import and export of
/// definitions (validation errors name the activity and input, so the designer marks nodes and fields), the diff of two
/// versions, and the migration of running instances (dry run, then run). Reading definitions and descriptors is in
/// <see cref="EngineEndpoints"/>.
/// </summary>
public static class DesignerEndpoints
{
    public static IEndpointRouteBuilder MapDesignerEndpoints(this IEndpointRouteBuilder app)
    {
        var designer = app.MapGroup("/api/designer").WithTags("Designer").RequireAuthorization(p => p.RequireRole(Roles.WorkflowAdmin));

        designer.MapPost("/definitions/validate", async (HttpRequest request, WorkflowDefinitionStore store, DefinitionValidator validator, CancellationToken ct) =>
        {
            var (definition, problem) = await ReadAsync(request, null, ct);
            if (problem is not null) return problem;
            var errors = store.Validate(definition!);
            return Results.Ok(new DefinitionCheck(errors.Count == 0, errors, validator.Warnings(definition!)));
        });
        designer.MapPut("/definitions/{definitionId}/draft", (string definitionId, HttpRequest request, WorkflowDefinitionStore store, DefinitionValidator validator,
            ClaimsPrincipal user, CancellationToken ct) => SaveAsync(definitionId, request, store, validator, user, ct));
        designer.MapPost("/definitions/import", (HttpRequest request, WorkflowDefinitionStore store, DefinitionValidator validator, ClaimsPrincipal user,
            CancellationToken ct) => SaveAsync(null, request, store, validator, user, ct));
        // The body ({releaseNote}) is optional and read by hand: an Accepts declaration would make routing refuse a publish sent without one.
        designer.MapPost("/definitions/{definitionId}/publish", PublishAsync);
        designer.MapPost("/definitions/{definitionId}/retract", async (string definitionId, WorkflowDefinitionStore store, HttpContext context,
            CancellationToken ct) => await context.OkAudited(SecurityEventKinds.DefinitionRetracted, $"definition:{definitionId}",
                await store.RetractAsync(definitionId, context.User.UserId(), ct), d => $"v{d.Version}"));
        designer.MapPost("/definitions/{definitionId}/revert/{version:int}", async (string definitionId, int version, WorkflowDefinitionStore store,
            ClaimsPrincipal user, CancellationToken ct) => Problems.Ok(await store.RevertAsync(definitionId, version, user.UserId(), ct)));
        designer.MapGet("/definitions/{definitionId}/export", async (string definitionId, int? version, WorkflowDefinitionStore store, CancellationToken ct) =>
            await store.GetAsync(definitionId, version, ct) is { } definition
                ? Results.File(Encoding.UTF8.GetBytes(DefinitionSerializer.Serialize(definition)), "application/json; charset=utf-8",
                    $"{definitionId}-v{definition.Version}.json")
                : Problems.NotFound("definition_not_found", $"找不到流程定义“{definitionId}”" + (version is null ? "" : $"的版本 {version}") + "。"));
        designer.MapGet("/definitions/{definitionId}/diff", async (string definitionId, int from, int to, WorkflowDefinitionStore store, CancellationToken ct) =>
            Problems.Ok(await store.DiffAsync(definitionId, from, to, ct)));
        designer.MapGet("/definitions/{definitionId}/instances", MigratableInstancesAsync);
        // The property panel's role and unit pickers: /api/admin is for platform admins only.
        designer.MapGet("/roles", () => Results.Ok(Roles.DisplayNames.Select(r => new { role = r.Key, name = r.Value })));
        designer.MapGet("/units", async (WorkflowStore store, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            return Results.Ok(await db.OrgUnits.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.RegionCode).ThenBy(u => u.Id)
                .Select(u => new { id = u.Id, name = u.Name }).ToListAsync(ct));
        });
        designer.MapPost("/migrations/dry-run", async (MigrationPlan plan, InstanceMigrator migrator, CancellationToken ct) =>
            Problems.Ok(await migrator.DryRunAsync(plan, ct)));
        designer.MapPost("/migrations", async (MigrationPlan plan, InstanceMigrator migrator, HttpContext context, CancellationToken ct) =>
            await context.OkAudited(SecurityEventKinds.InstancesMigrated, $"definition:{plan.DefinitionId}", await migrator.RunAsync(plan, context.User.UserId(), ct),
                r => $"→ v{r.TargetVersion}：{r.Instances.Count(i => i.Migrated)}/{r.Instances.Count} 个实例 {string.Join(",", r.Instances.Where(i => i.Migrated).Select(i => i.InstanceId))}"));
        return app;
    }

    /// <summary>The waiting (or faulted) instances of a definition, oldest first, with their steps and people by name.</summary>
    private static async Task<IResult> MigratableInstancesAsync(string definitionId, WorkflowStore store, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var instances = await db.Instances.AsNoTracking()
            .Where(i => i.DefinitionId == definitionId && (i.Status == WorkflowStatus.Suspended || i.Status == WorkflowStatus.Faulted))
            .OrderBy(i => i.CreatedAt).Take(500).ToListAsync(ct);
        var ids = instances.Select(i => i.Id).ToList();
        var steps = (await db.Bookmarks.AsNoTracking().Where(b => ids.Contains(b.InstanceId) && b.Status == BookmarkStatus.Open)
                .Select(b => new { b.InstanceId, b.ActivityId }).ToListAsync(ct))
            .ToLookup(b => b.InstanceId, b => b.ActivityId);
        var versionIds = instances.Select(i => i.DefinitionVersionId).Distinct().ToList();
        var stepNames = (await db.Definitions.AsNoTracking().Where(d => versionIds.Contains(d.Id)).Select(d => new { d.Id, d.Json }).ToListAsync(ct))
            .ToDictionary(d => d.Id, d => DefinitionSerializer.Deserialize(d.Json).Root.Activities
                .GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First().Name is { Length: > 0 } name ? name : g.Key, StringComparer.Ordinal));
        var people = await PeopleNames.OfAsync(db, instances.Select(i => i.Initiator), ct);
        return Results.Ok(instances.Select(i =>
        {
            var current = steps[i.Id].Distinct().Order(StringComparer.Ordinal).ToList();
            var names = stepNames.GetValueOrDefault(i.DefinitionVersionId);
            return new MigratableInstance(i.Id, i.DefinitionVersion, i.Status, i.Initiator,
                new DateTimeOffset(DateTime.SpecifyKind(i.CreatedAt, DateTimeKind.Utc)), current)
            {
                BusinessNumber = i.BusinessNumber, Summary = i.Summary, InitiatorName = i.Initiator is { } initiator ? people[initiator] : null,
                Steps = current.Select(s => new StepName(s, names?.GetValueOrDefault(s) ?? s)).ToList(),
            };
        }));
    }

    /// <summary>Saves a draft (or an import, which takes its id from the file) and answers with its validation errors, which do not stop a draft.</summary>
    private static async Task<IResult> SaveAsync(string? definitionId, HttpRequest request, WorkflowDefinitionStore store, DefinitionValidator validator,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var (definition, problem) = await ReadAsync(request, definitionId, ct);
        if (problem is not null) return problem;
        var saved = await store.SaveDraftAsync(definition!, user.UserId(), ct);
        if (!saved.IsSuccess) return Problems.From(saved.Error!);
        var errors = store.Validate(definition!);
        return Results.Ok(new DraftSaved(saved.Value, errors.Count == 0, errors, validator.Warnings(definition!)));
    }

    /// <summary>Publishes with the release note of the body (<see cref="PublishRequest"/>; a request without a body publishes without one).</summary>
    private static async Task<IResult> PublishAsync(string definitionId, int? version, WorkflowDefinitionStore store, HttpContext context, CancellationToken ct)
    {
        PublishRequest? body = null;
        if (context.Request.HasJsonContentType())
        {
            try
            {
                body = await context.Request.ReadFromJsonAsync<PublishRequest>(ct);
            }
            catch (JsonException)
            {
                return Problems.Field("body", "invalid_json", "请求内容不是有效的 JSON。");
            }
        }

        var note = body?.ReleaseNote?.Trim();
        if (TextLimits.Check(("releaseNote", note, WorkflowDefinitionStore.MaxReleaseNoteLength, "发布说明")) is { } tooLong) return tooLong;
        return await context.OkAudited(SecurityEventKinds.DefinitionPublished, $"definition:{definitionId}",
            await store.PublishAsync(definitionId, version, context.User.UserId(), note, ct),
            d => string.IsNullOrEmpty(note) ? $"v{d.Version}" : $"v{d.Version}：{note}");
    }

    private static async Task<(WorkflowDefinition?, IResult?)> ReadAsync(HttpRequest request, string? definitionId, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(ct);
        WorkflowDefinition definition;
        try
        {
            definition = DefinitionSerializer.Deserialize(json);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Field("body", "definition_unreadable", $"流程定义不是有效的 JSON：{ex.Message}"));
        }

        if (string.IsNullOrWhiteSpace(definition.DefinitionId))
            return (null, Problems.Field("definitionId", "definition_id_required", "流程定义缺少 definitionId。"));
        if (definitionId is not null && definition.DefinitionId != definitionId)
            return (null, Problems.Field("definitionId", "definition_id_mismatch", $"请求地址中的流程“{definitionId}”与内容中的“{definition.DefinitionId}”不一致。"));
        var errors = new FieldErrors();
        TextLimits.Check(errors, "name", definition.Name, TextLimits.DefinitionName, "流程名称");
        TextLimits.Check(errors, "description", definition.Description, TextLimits.DefinitionDescription, "流程说明");
        foreach (var activity in definition.Root?.Activities ?? [])
            TextLimits.Check(errors, $"activities.{activity.Id}.name", activity.Name, TextLimits.DefinitionName, "环节名称");
        return errors.Any ? (null, errors.Problem("text_too_long")) : (definition, null);
    }
}
