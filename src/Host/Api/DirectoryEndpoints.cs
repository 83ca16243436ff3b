using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

public sealed record PhrasesRequest(IReadOnlyList<string>? Phrases);

/// <summary>
/// What every signed-in user may read to work the inbox: the organisation's units by name (for filters and the picker's
/// tree), and the user's own common phrases (常用语) for opinions.
/// </summary>
public static class DirectoryEndpoints
{
    public static IEndpointRouteBuilder MapDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Directory").RequireAuthorization();
        api.MapGet("/units", async (WorkflowStore store, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var units = await db.OrgUnits.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.RegionCode).ThenBy(u => u.Id).ToListAsync(ct);
            return Results.Ok(units.Select(u => new
            {
                id = u.Id, name = u.Name, kind = u.Kind, kindName = UnitView.KindNames.GetValueOrDefault(u.Kind, u.Kind), parentId = u.ParentId,
                regionCode = u.RegionCode, regionName = u.RegionName,
            }));
        });
        api.MapGet("/me/phrases", async (Caller caller, UserPhrases phrases, CancellationToken ct) =>
            Results.Ok(new { phrases = await phrases.GetAsync(caller.Id, ct), defaults = UserPhrases.Defaults }));
        api.MapPut("/me/phrases", async (PhrasesRequest request, Caller caller, UserPhrases phrases, CancellationToken ct) =>
        {
            if (request.Phrases is null) return Problems.Field("phrases", "validation_failed", "请提交常用语列表。");
            var saved = await phrases.SaveAsync(caller.Id, request.Phrases, ct);
            return saved.IsSuccess ? Results.Ok(new { phrases = saved.Value, defaults = UserPhrases.Defaults }) : Problems.FromFields(saved.Error!);
        });
        return app;
    }
}
