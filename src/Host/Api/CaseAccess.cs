using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>How far a user sees: every case, the cases of a county, or those of the user's own unit.</summary>
public static class ScopeKinds
{
    public const string All = "all";
    public const string County = "county";
    public const string Unit = "unit";
}

/// <summary>The signed-in user as the scope rule sees them, read from the database on each request (a disabled user stops at once).</summary>
public sealed record Caller(string Id, string DisplayName, OrgUnitRecord Unit, IReadOnlyList<string> Roles, string Scope, IReadOnlySet<string> ScopeUnits)
{
    public bool SeesAll => Scope == ScopeKinds.All;

    public bool IsPlatformAdmin => Roles.Contains(Activities.DataSharing.Roles.PlatformAdmin);

    /// <summary>The user's row as read for this request: its security stamp, password age and second factor (<see cref="ApiCaller"/>).</summary>
    public UserRecord? Account { get; init; }

    /// <summary>Minimal APIs bind a <c>Caller</c> parameter from what <see cref="ApiCaller.UseApiCaller"/> resolved.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context, System.Reflection.ParameterInfo parameter) =>
        ValueTask.FromResult(ApiCaller.Bind(context, parameter));
}

/// <summary>
/// The one place the role × organisation rule lives (docs/api.md, "Scope"). The bureau and the platform roles see every
/// case; a county data authority sees the cases of every unit in its region; anybody else the cases of their own unit
/// and the secondary units under it. On top, a user always sees a case they personally take part in (applicant, holder
/// of a task, delegate, copied). Endpoints answer 404 for a case outside scope, so ids cannot be probed.
/// </summary>
public sealed class CaseAccess(WorkflowStore store, WorkflowQueries queries)
{
    private static readonly HashSet<string> PlatformRoles =
    [
        Roles.PlatformAdmin, Roles.PlatformSupport, Roles.DataResourcesSection, Roles.WorkflowAdmin, Roles.Auditor,
    ];

    public async Task<Caller?> CallerAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        await using var db = await store.CreateContextAsync(cancellationToken);
        var id = principal.UserId();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.IsActive, cancellationToken);
        if (user is null) return null;
        var unit = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.OrgUnitId, cancellationToken);
        if (unit is null) return null;
        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == id).Select(r => r.Role).Distinct().ToListAsync(cancellationToken);
        if (unit.Kind == OrgUnitKinds.Bureau || roles.Any(PlatformRoles.Contains))
            return new Caller(user.Id, user.DisplayName, unit, roles, ScopeKinds.All, new HashSet<string>()) { Account = user };
        if (unit.Kind == OrgUnitKinds.CountyAuthority)
        {
            var region = await db.OrgUnits.AsNoTracking().Where(u => u.RegionCode == unit.RegionCode).Select(u => u.Id).ToListAsync(cancellationToken);
            return new Caller(user.Id, user.DisplayName, unit, roles, ScopeKinds.County, region.ToHashSet()) { Account = user };
        }

        var own = await db.OrgUnits.AsNoTracking().Where(u => u.Id == unit.Id || u.ParentId == unit.Id).Select(u => u.Id).ToListAsync(cancellationToken);
        return new Caller(user.Id, user.DisplayName, unit, roles, ScopeKinds.Unit, own.ToHashSet()) { Account = user };
    }

    /// <summary>Whether the case exists and lies in the caller's scope; false for both "no such case" and "not yours".</summary>
    public async Task<bool> CanSeeCaseAsync(Caller caller, Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId)
            .Select(i => new { i.Initiator, i.ParentInstanceId }).FirstOrDefaultAsync(cancellationToken);
        if (instance is null) return false;
        if (caller.SeesAll || instance.Initiator == caller.Id) return true;
        var units = caller.ScopeUnits.ToList();
        var tasks = db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId);
        if (await tasks.AnyAsync(t => t.AssigneeId == caller.Id || t.OwnerId == caller.Id || t.CompletedBy == caller.Id
                || (t.OrgUnitId != null && units.Contains(t.OrgUnitId)) || (t.ApplicantOrgUnitId != null && units.Contains(t.ApplicantOrgUnitId)),
                cancellationToken))
            return true;
        if (await (from c in db.TaskCandidates join t in tasks on c.TaskId equals t.Id where c.UserId == caller.Id select c).AnyAsync(cancellationToken))
            return true;
        if (await db.CarbonCopies.AnyAsync(c => c.InstanceId == instanceId && c.UserId == caller.Id, cancellationToken)) return true;
        if (instance.Initiator is { } initiator
            && await db.Users.AnyAsync(u => u.Id == initiator && units.Contains(u.OrgUnitId), cancellationToken))
            return true;
        if ((await queries.GetInstanceAsync(instanceId, cancellationToken))?.Variables["providerOrgUnitId"] is JsonValue value
            && value.TryGetValue<string>(out var provider) && caller.ScopeUnits.Contains(provider))
            return true;
        // A child case (a provincial request run as an ordinary process) is seen by whoever sees its parent.
        return instance.ParentInstanceId is { } parent && await CanSeeCaseAsync(caller, parent, cancellationToken);
    }

    /// <summary>The case of a task, when the task exists and its case is in scope.</summary>
    public async Task<Guid?> CaseOfTaskAsync(Caller caller, Guid taskId, CancellationToken cancellationToken)
    {
        Guid? instanceId;
        await using (var db = await store.CreateContextAsync(cancellationToken))
            instanceId = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => (Guid?)t.InstanceId).FirstOrDefaultAsync(cancellationToken);
        return instanceId is { } id && await CanSeeCaseAsync(caller, id, cancellationToken) ? id : null;
    }

    /// <summary>Catalog versions in progress (drafts, reviews) are seen by the provider's scope; published ones by everyone.</summary>
    public bool CanSeeCatalogDrafts(Caller caller, string providerOrgUnitId) =>
        caller.SeesAll || caller.ScopeUnits.Contains(providerOrgUnitId);
}

/// <summary>An endpoint filter for routes with a case id <c>{id}</c>: a case outside the caller's scope answers 404 like a missing one.</summary>
public static class CaseScope
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!Guid.TryParse(http.Request.RouteValues["id"]?.ToString(), out var id)) return await next(context);
        var caller = http.GetCaller();
        if (!await http.RequestServices.GetRequiredService<CaseAccess>().CanSeeCaseAsync(caller, id, http.RequestAborted)) return EngineEndpoints.InstanceNotFound(id);
        // The engine's views carry every variable and journal entry, hidden form fields included: the bureau's staff and
        // auditors read them; a party to the case reads the case through its tracking view (FormVisibility).
        return caller.SeesAll
            ? await next(context)
            : Problems.From(new WorkflowError(WorkflowErrorKind.Forbidden, "forbidden", "无权查看", "流程实例的技术视图（变量、流程日志）仅供平台人员和审计员查看；请在“我的申请”或待办中查看办理情况。"));
    }
}
