using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The one scope rule of interface applications and authorisations (docs/api.md, "Interfaces"): the bureau sees all and
/// manages all (auditors and workflow admins only see); a department (with its secondary units; a county authority with
/// its county) sees the applications it owns and the authorisations where it is provider or consumer, and manages, as
/// provider, the authorisations of its own interfaces, and, as owner, the secrets of its own applications.
/// </summary>
public static class InterfaceAccess
{
    private static readonly string[] BureauManagers = [Roles.PlatformAdmin, Roles.PlatformSupport, Roles.DataResourcesSection];

    private static readonly string[] ProviderDeciders = [Roles.ProviderApprover, Roles.DepartmentAdmin, Roles.CountyDataAdmin];

    /// <summary>The units whose records the caller sees; null for all.</summary>
    public static IReadOnlyCollection<string>? Units(Caller caller) => caller.SeesAll ? null : caller.ScopeUnits;

    public static bool CanSee(Caller caller, AuthorizationView authorization) =>
        caller.SeesAll || caller.ScopeUnits.Contains(authorization.ProviderOrgUnitId) || caller.ScopeUnits.Contains(authorization.ConsumerOrgUnitId);

    /// <summary>
    /// Suspend, resume, terminate, revoke: the bureau's managers, or someone of the provider's side who decides for it
    /// (its approver or administrator, or the county authority for a county department), not every user of that unit.
    /// </summary>
    public static bool CanManage(Caller caller, AuthorizationView authorization) =>
        IsBureauManager(caller) || (caller.ScopeUnits.Contains(authorization.ProviderOrgUnitId) && caller.Roles.Any(ProviderDeciders.Contains));

    public static bool CanSee(Caller caller, ApplicationView application) => caller.SeesAll || caller.ScopeUnits.Contains(application.OrgUnitId);

    public static bool CanManage(Caller caller, ApplicationView application) => IsBureauManager(caller) || caller.ScopeUnits.Contains(application.OrgUnitId);

    /// <summary>A manager of the platform; the bureau's auditors and workflow admins see everything but change nothing here.</summary>
    private static bool IsBureauManager(Caller caller) => caller.SeesAll && caller.Roles.Any(BureauManagers.Contains);
}

/// <summary>Interface applications (应用) and their secrets, authorisations and their life (001 第十九条), and the call log.</summary>
public static class InterfaceEndpoints
{
    public static IEndpointRouteBuilder MapInterfaceEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/interfaces").WithTags("Interfaces").RequireAuthorization();

        api.MapGet("/applications", async (string? orgUnitId, Caller caller, InterfaceQueries queries, CancellationToken ct) =>
        {
            var applications = await queries.ApplicationsAsync(InterfaceAccess.Units(caller), ct);
            return Results.Ok(orgUnitId is null ? applications : applications.Where(a => a.OrgUnitId == orgUnitId).ToList());
        });

        api.MapPost("/applications/{applicationId:guid}/rotate-secret", async (Guid applicationId, Caller caller, InterfaceQueries queries,
            InterfaceService interfaces, HttpContext http, CancellationToken ct) =>
        {
            if (await queries.ApplicationAsync(applicationId, ct) is not { } application || !InterfaceAccess.CanSee(caller, application))
                return Problems.From(InterfaceErrors.ApplicationNotFound(applicationId));
            if (!InterfaceAccess.CanManage(caller, application))
            {
                await http.LogSecurityAsync(SecurityEventKinds.SecretRotated, SecurityResults.Refused, $"application:{applicationId}", "不是应用所属部门或平台管理人员");
                return Forbidden("只有应用所属部门或平台管理人员可以重置应用密钥。");
            }

            var rotated = await interfaces.RotateSecretAsync(applicationId, caller.Id, ct);
            await http.LogSecurityAsync(SecurityEventKinds.SecretRotated, rotated.IsSuccess ? SecurityResults.Success : SecurityResults.Refused,
                $"application:{applicationId}", rotated.IsSuccess ? $"密钥版本 {rotated.Value.SecretVersion}" : rotated.Error!.Code);
            if (!rotated.IsSuccess) return Problems.From(rotated.Error!);
            // The secret is shown this once: nothing between here and the user may keep it.
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(rotated.Value);
        });

        api.MapGet("/authorizations", async (string? status, string? providerOrgUnitId, string? consumerOrgUnitId, Guid? applicationId, string? search,
            int? page, int? pageSize, Caller caller, InterfaceQueries queries, CancellationToken ct) =>
        {
            ApiAuthorizationStatus? wanted = null;
            if (!string.IsNullOrWhiteSpace(status))
            {
                if (!Enum.TryParse<ApiAuthorizationStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    return Problems.Field("status", "validation_failed", "授权状态应为 active、suspended、expired、revoked 或 terminated。");
                wanted = parsed;
            }

            var (skip, take, _) = Paging.Of(page, pageSize);
            return Results.Ok(await queries.AuthorizationsAsync(new AuthorizationFilter(wanted, providerOrgUnitId, consumerOrgUnitId, applicationId, search),
                InterfaceAccess.Units(caller), skip, take, ct));
        });

        api.MapGet("/authorizations/{authorizationId:guid}", async (Guid authorizationId, Caller caller, InterfaceService interfaces, CancellationToken ct) =>
            await VisibleAsync(authorizationId, caller, interfaces, ct) is { } authorization
                ? Results.Ok(authorization)
                : Problems.From(InterfaceErrors.AuthorizationNotFound(authorizationId)));

        api.MapGet("/authorizations/{authorizationId:guid}/calls", async (Guid authorizationId, int? page, int? pageSize, Caller caller,
            InterfaceService interfaces, InterfaceQueries queries, CancellationToken ct) =>
        {
            if (await VisibleAsync(authorizationId, caller, interfaces, ct) is null) return Problems.From(InterfaceErrors.AuthorizationNotFound(authorizationId));
            var (skip, take, _) = Paging.Of(page, pageSize);
            return Results.Ok(await queries.CallsAsync(authorizationId, skip, take, ct));
        });

        MapAction(api, "suspend", (s, id, actor, reason, ct) => s.SuspendAsync(id, actor, reason ?? "", ct));
        MapAction(api, "resume", (s, id, actor, reason, ct) => s.ResumeAsync(id, actor, reason, ct));
        MapAction(api, "terminate", (s, id, actor, reason, ct) => s.TerminateAsync(id, actor, reason ?? "", ct));
        MapAction(api, "revoke", (s, id, actor, reason, ct) => s.RevokeAsync(id, actor, reason ?? "", ct));
        return app;
    }

    private static void MapAction(RouteGroupBuilder api, string action,
        Func<InterfaceService, Guid, string, string?, CancellationToken, Task<WorkflowResult<AuthorizationView>>> move) =>
        api.MapPost($"/authorizations/{{authorizationId:guid}}/{action}", async (Guid authorizationId, ReasonRequest? request, Caller caller,
            InterfaceService interfaces, ILogger<InterfaceQueries> log, CancellationToken ct) =>
        {
            if (await VisibleAsync(authorizationId, caller, interfaces, ct) is not { } authorization)
                return Problems.From(InterfaceErrors.AuthorizationNotFound(authorizationId));
            if (!InterfaceAccess.CanManage(caller, authorization)) return Forbidden("只有接口提供部门或平台管理人员可以变更接口授权。");
            var moved = await move(interfaces, authorizationId, caller.Id, request?.Reason, ct);
            if (!moved.IsSuccess) return Problems.From(moved.Error!);
            log.LogInformation("Authorisation {AuthorizationId}: {Action} by {Actor}", authorizationId, action, caller.Id);
            return Results.Ok(moved.Value);
        }).LimitText<ReasonRequest>(("reason", r => r.Reason, TextLimits.Comment, "原因"));

    private static async Task<AuthorizationView?> VisibleAsync(Guid id, Caller caller, InterfaceService interfaces, CancellationToken ct) =>
        await interfaces.GetAuthorizationAsync(id, ct) is { } authorization && InterfaceAccess.CanSee(caller, authorization) ? authorization : null;

    private static IResult Forbidden(string detail) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无权执行此操作", detail: detail,
        extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });
}
