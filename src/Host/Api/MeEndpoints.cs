using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;

public sealed record MeRole(string Role, string Name, string OrgUnitId);

public sealed record MeView(string Id, string DisplayName, string? Title, string? Phone, string? Email, UnitView Unit, IReadOnlyList<MeRole> Roles,
    string Scope, bool IsPlatformAdmin, string? Pending = null, bool SecondFactorEnrolled = false, bool SecondFactorRequired = false);

/// <summary>
/// Who the signed-in user is, in which unit, with which roles, and how far the scope rule lets them see; and what the
/// session must do first (<see cref="Auth.SessionGate"/>: change the password, enrol the second factor), if anything.
/// </summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", async (Caller caller, WorkflowStore store, Auth.SessionGate gate, Auth.SecondFactor secondFactor, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.Id, ct);
            var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == caller.Id).OrderBy(r => r.Role).ToListAsync(ct);
            return Results.Ok(new MeView(user.Id, user.DisplayName, user.Title, user.Phone, user.Email, UnitView.From(caller.Unit),
                roles.Select(r => new MeRole(r.Role, Roles.DisplayNames.GetValueOrDefault(r.Role, r.Role), r.OrgUnitId)).ToList(),
                caller.Scope, caller.IsPlatformAdmin, gate.Pending(caller), user.TotpEnabledAt is not null, secondFactor.IsRequired(caller.Roles)));
        }).WithTags("Me").RequireAuthorization().Produces<MeView>();
        return app;
    }
}
