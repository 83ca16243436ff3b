using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;


/// <summary>
/// The resource catalog: search and browse published entries, an entry with its information items, mounts and versions.
/// Versions in progress (编目, 编审, 注册…) are seen only within the provider's scope (<see cref="CaseAccess"/>); their
/// compile and review happen as tasks of the catalog processes.
/// </summary>
public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup("/api/catalog").WithTags("Catalog").RequireAuthorization();

        catalog.MapGet("/entries", async (string? name, string? providerOrgUnitId, string? classification, int? shareType, string? formatCategory,
            CatalogStatus? status, bool? allVersions, int? page, int? pageSize, Caller caller, CatalogService service, WorkflowStore store, CancellationToken ct) =>
        {
            if ((allVersions == true || status is not null) && !caller.SeesAll)
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无权访问", detail: "只有平台人员可以按状态查看全部版本。",
                    extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });
            var found = await service.SearchAsync(new CatalogQuery
            {
                Name = name, ProviderOrgUnitId = providerOrgUnitId, Classification = classification, ShareType = shareType, FormatCategory = formatCategory,
                Status = status, AllVersions = allVersions == true, Page = page ?? 1, PageSize = pageSize ?? 20,
            }, ct);
            if (!found.IsSuccess) return Problems.From(found.Error!);
            var names = await UnitNamesAsync(store, found.Value.Items.Select(i => i.ProviderOrgUnitId), ct);
            return Results.Ok(new
            {
                items = found.Value.Items.Select(i => new { version = i, providerName = names.GetValueOrDefault(i.ProviderOrgUnitId) }),
                found.Value.Total, found.Value.Page, found.Value.PageSize,
            });
        });

        catalog.MapGet("/entries/{entryId:guid}", async (Guid entryId, Caller caller, CaseAccess access, CatalogService service, WorkflowStore store,
            CancellationToken ct) =>
        {
            if (await VisibleAsync(entryId, caller, access, service, ct) is not { } entry) return EntryNotFound(entryId);
            var names = await UnitNamesAsync(store, [entry.ProviderOrgUnitId], ct);
            return Results.Ok(new { entry, providerName = names.GetValueOrDefault(entry.ProviderOrgUnitId) });
        });
        catalog.MapGet("/entries/{entryId:guid}/versions/{number:int}", async (Guid entryId, int number, Caller caller, CaseAccess access,
            CatalogService service, CancellationToken ct) =>
        {
            if (await VisibleAsync(entryId, caller, access, service, ct) is not { } entry || entry.Versions.All(v => v.Number != number)) return EntryNotFound(entryId);
            return await service.GetVersionAsync(entryId, number, ct) is { } version ? Results.Ok(version) : EntryNotFound(entryId);
        });
        catalog.MapGet("/entries/{entryId:guid}/history", async (Guid entryId, Caller caller, CaseAccess access, CatalogService service, CancellationToken ct) =>
        {
            var entry = await service.GetAsync(entryId, ct);
            return entry is null || !access.CanSeeCatalogDrafts(caller, entry.ProviderOrgUnitId)
                ? EntryNotFound(entryId)
                : Results.Ok(await service.GetHistoryAsync(entryId, ct));
        });
        catalog.MapGet("/overdue-updates", async (Caller caller, CatalogService service, CancellationToken ct) =>
            caller.SeesAll
                ? Results.Ok(await service.OverdueUpdatesAsync(ct))
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无权访问", detail: "只有平台人员可以查看逾期未更新的目录。",
                    extensions: new Dictionary<string, object?> { ["code"] = "forbidden" }));
        return app;
    }

    /// <summary>
    /// The entry as this caller may see it: in full within the provider's scope, else only what has been published,
    /// without the upstream addresses of its interfaces (only the provider and the bureau see where the gateway forwards).
    /// </summary>
    private static async Task<CatalogEntryView?> VisibleAsync(Guid entryId, Caller caller, CaseAccess access, CatalogService service, CancellationToken ct)
    {
        var entry = await service.GetAsync(entryId, ct);
        if (entry is null) return null;
        if (access.CanSeeCatalogDrafts(caller, entry.ProviderOrgUnitId)) return entry;
        if (entry.Published is null) return null;
        return entry with
        {
            InProgress = null,
            Versions = entry.Versions.Where(v => v.PublishedAt is not null).ToList(),
            Mounts = entry.Mounts.Select(m => m.Kind == CatalogMountKind.Api ? m with { Target = null } : m).ToList(),
        };
    }

    private static async Task<Dictionary<string, string>> UnitNamesAsync(WorkflowStore store, IEnumerable<string> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        await using var db = await store.CreateContextAsync(ct);
        return await db.OrgUnits.AsNoTracking().Where(u => list.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }

    private static IResult EntryNotFound(Guid id) => Problems.NotFound("catalog_entry_not_found", $"找不到目录 {id}，或您无权查看。");
}
