using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PdsWorkflow.Host.Auth;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// Resolves the signed-in <see cref="Caller"/> once per API request (a disabled account's session is refused here),
/// and opens the request's logging scope with the actor and the case or task the route names. It runs before
/// authorisation and gives the request the roles and unit the database holds now, so that an administrator's change
/// of a user's roles applies to the next request, not at the next sign-in. A session whose security stamp is no longer
/// the user's is ended here (on every node: the stamp is in the database), and a session that must first change its
/// password or enrol a second factor may reach only the sign-in endpoints (<see cref="Auth.SessionGate"/>).
/// </summary>
public static class ApiCaller
{
    private const string ItemKey = "pds:caller";

    public static IApplicationBuilder UseApiCaller(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PdsWorkflow.Api");
        var scope = new Dictionary<string, object?> { ["method"] = context.Request.Method, ["path"] = context.Request.Path.Value };
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var caller = await context.RequestServices.GetRequiredService<CaseAccess>().CallerAsync(context.User, context.RequestAborted);
            if (caller is null)
            {
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "请先登录", detail: "账号已停用或不存在，请重新登录。",
                    extensions: new Dictionary<string, object?> { ["code"] = "not_signed_in" }).ExecuteAsync(context);
                return;
            }

            var stamp = context.User.FindFirstValue(Auth.AuthRegistration.StampClaim) ?? "";
            if (caller.Account?.SecurityStamp is { } current && !string.Equals(current, stamp, StringComparison.Ordinal))
            {
                // Signed out, password changed or reset, roles changed, disabled: every session of the user ends here.
                await context.LogSecurityAsync(Workflows.Audit.SecurityEventKinds.SessionRevoked, Workflows.Audit.SecurityResults.Refused, $"user:{caller.Id}",
                    $"{context.Request.Method} {context.Request.Path}：会话已被作废", caller.Id);
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "请先登录", detail: "会话已失效，请重新登录。",
                    extensions: new Dictionary<string, object?> { ["code"] = "session_revoked" }).ExecuteAsync(context);
                return;
            }

            if (context.RequestServices.GetRequiredService<Auth.SessionGate>().Pending(caller) is { } pending && !Auth.SessionGate.Allows(context.Request.Path))
            {
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: Auth.SessionGate.Title(pending), detail: Auth.SessionGate.Detail(pending),
                    extensions: new Dictionary<string, object?> { ["code"] = pending }).ExecuteAsync(context);
                return;
            }

            context.Items[ItemKey] = caller;
            context.User = Auth.AuthRegistration.Principal(new Auth.SignedInUser(caller.Id, caller.DisplayName, caller.Unit.Id, caller.Roles), stamp);
            scope["actor"] = caller.Id;
            scope["orgUnitId"] = caller.Unit.Id;
        }

        var path = context.Request.Path;
        if (context.Request.RouteValues.TryGetValue("id", out var id) && id is not null)
        {
            if (path.StartsWithSegments("/api/tasks")) scope["taskId"] = id;
            else if (path.StartsWithSegments("/api/applications") || path.StartsWithSegments("/api/instances")) scope["instanceId"] = id;
        }

        using (logger.BeginScope(scope)) await next(context);
    });

    /// <summary>The caller the middleware resolved; endpoints behind <c>RequireAuthorization</c> always have one.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[ItemKey] as Caller ?? throw new InvalidOperationException("The request has no resolved caller; is the endpoint authorised?");

    /// <summary>Lets an endpoint take a <see cref="Caller"/> parameter.</summary>
    public static Caller? Bind(HttpContext context, ParameterInfo _) => context.Items[ItemKey] as Caller;
}
