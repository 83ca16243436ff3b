using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The security administrator's work (安全管理员, 三员分立): who holds which roles, unlocking an account, resetting a second
/// factor. A role change, like a second-factor reset, ends the user's sessions. Every change and refusal is logged.
/// </summary>
public static class SecurityAdminEndpoints
{
    public static IEndpointRouteBuilder MapSecurityAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var security = app.MapGroup("/api/security").WithTags("Security").RequireAuthorization(p => p.RequireRole(Roles.SecurityAdmin));
        security.MapGet("/users", async (string? search, string? orgUnitId, string? role, int? page, int? pageSize, WorkflowStore store, CancellationToken ct) =>
            Results.Ok(await AdminEndpoints.SearchUsersAsync(store, search, orgUnitId, role, includeInactive: true, page, pageSize, ct)));
        security.MapGet("/roles", () => Results.Ok(Roles.DisplayNames.Select(r => new { role = r.Key, name = r.Value })));
        security.MapPut("/users/{id}/roles", SetRolesAsync);
        security.MapPost("/users/{id}/unlock", UnlockAsync);
        security.MapPost("/users/{id}/reset-second-factor", ResetSecondFactorAsync);
        return app;
    }

    private static async Task<IResult> SetRolesAsync(string id, RolesRequest request, WorkflowStore store, SecurityLog log, Caller caller, HttpContext context,
        CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return AdminEndpoints.UserNotFound(id);
        var errors = new FieldErrors();
        if (request.Roles is null) errors.Add("roles", "请给出角色列表（可以为空）。");
        AdminEndpoints.CheckRoles(errors, request.Roles);
        if (request.Roles is not null && Roles.DutyConflict(request.Roles) is { } conflict) errors.Add("roles", conflict);
        if (id == caller.Id && request.Roles?.Contains(Roles.SecurityAdmin) != true) errors.Add("roles", "不能取消自己的安全管理员角色。");
        if (errors.Any) return await AdminEndpoints.RefusedAsync(log, context, SecurityEventKinds.RolesChanged, $"user:{id}", errors, ct);
        var before = await db.UserRoles.Where(r => r.UserId == id).Select(r => r.Role).Distinct().OrderBy(r => r).ToListAsync(ct);
        var after = request.Roles!.Distinct().Order().ToList();
        db.UserRoles.RemoveRange(await db.UserRoles.Where(r => r.UserId == id).ToListAsync(ct));
        foreach (var role in after) db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role, OrgUnitId = user.OrgUnitId });
        if (!before.SequenceEqual(after)) user.RevokeSessions();
        log.Add(db, context.SecurityEvent(SecurityEventKinds.RolesChanged, SecurityResults.Success, $"user:{id}",
            $"{Names(before)} → {Names(after)}{(before.SequenceEqual(after) ? "" : "；其全部会话已结束")}"));
        await db.SaveChangesAsync(ct);
        return Results.Ok((await AdminEndpoints.ViewsAsync(db, [user], ct))[0]);
    }

    private static async Task<IResult> UnlockAsync(string id, WorkflowStore store, SecurityLog log, HttpContext context, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return AdminEndpoints.UserNotFound(id);
        (user.FailedSignIns, user.LockedUntil, user.Lockouts) = (0, null, 0);
        log.Add(db, context.SecurityEvent(SecurityEventKinds.Unlock, SecurityResults.Success, $"user:{id}"));
        await db.SaveChangesAsync(ct);
        return Results.Ok((await AdminEndpoints.ViewsAsync(db, [user], ct))[0]);
    }

    /// <summary>Recovery of a lost authenticator: the user enrols again at the next sign-in (if the roles require one).</summary>
    private static async Task<IResult> ResetSecondFactorAsync(string id, WorkflowStore store, SecurityLog log, HttpContext context, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return AdminEndpoints.UserNotFound(id);
        (user.TotpSecret, user.TotpEnabledAt, user.TotpLastStep) = (null, null, null);
        user.RevokeSessions();
        log.Add(db, context.SecurityEvent(SecurityEventKinds.SecondFactorReset, SecurityResults.Success, $"user:{id}", "其全部会话已结束，须重新绑定"));
        await db.SaveChangesAsync(ct);
        return Results.Ok((await AdminEndpoints.ViewsAsync(db, [user], ct))[0]);
    }

    private static string Names(IReadOnlyList<string> roles) => roles.Count == 0 ? "（无）" : string.Join("、", roles);
}
