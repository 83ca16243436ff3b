using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Host.Api;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Auth;

public sealed record SignInRequest(string? UserName, string? Password, string? Code);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record SecondFactorCode(string? Code);

/// <summary>
/// Sign-in (with the second factor), sign-out, who-am-I, the CSRF token, the self-service password change and the
/// second-factor enrolment. Sign-in and the password change are throttled per source address (<see cref="AuthRegistration.SignInLimit"/>).
/// </summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", SignInAsync).RequireRateLimiting(AuthRegistration.SignInLimit);
        auth.MapPost("/logout", SignOutAsync);
        auth.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new SignedInUser(user.UserId(), user.Identity!.Name!,
            user.FindFirstValue(AuthRegistration.OrgUnitClaim)!, user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList()))).RequireAuthorization();
        auth.MapGet("/csrf", (IAntiforgery antiforgery, HttpContext context) =>
            Results.Ok(new { token = antiforgery.GetAndStoreTokens(context).RequestToken, header = AuthRegistration.CsrfHeader }));
        auth.MapPost("/password", ChangePasswordAsync).RequireAuthorization().RequireRateLimiting(AuthRegistration.SignInLimit);
        auth.MapGet("/second-factor", (Caller caller, SecondFactor secondFactor) => Results.Ok(new
        {
            enrolled = caller.Account?.TotpEnabledAt is not null, required = secondFactor.IsRequired(caller.Roles),
        })).RequireAuthorization();
        auth.MapPost("/second-factor/setup", BeginEnrolmentAsync).RequireAuthorization();
        auth.MapPost("/second-factor/confirm", ConfirmEnrolmentAsync).RequireAuthorization().RequireRateLimiting(AuthRegistration.SignInLimit);
        return app;
    }

    private static async Task<IResult> SignInAsync(SignInRequest request, SignInService signIn, HttpContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
            return Problems.Field(string.IsNullOrWhiteSpace(request.UserName) ? "userName" : "password", "credentials_required", "请输入用户名和密码。");
        var result = await signIn.SignInAsync(request.UserName.Trim(), request.Password, request.Code, context.SourceAddress(), ct);
        switch (result.Outcome)
        {
            case SignInOutcome.SecondFactorRequired:
                return Results.Ok(new { secondFactorRequired = true });
            case SignInOutcome.SignedIn:
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AuthRegistration.Principal(result.User!, result.SecurityStamp));
                return Results.Ok(new { result.User!.Id, result.User.DisplayName, result.User.OrgUnitId, result.User.Roles, result.Pending });
            default:
                // One answer for an unknown name, a wrong password or code, a locked or a disabled account (no enumeration).
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录失败",
                    detail: "用户名、密码或动态口令错误；连续失败多次的账号会被暂时锁定，请稍后再试或联系安全管理员解锁。",
                    extensions: new Dictionary<string, object?> { ["code"] = "sign_in_failed" });
        }
    }

    /// <summary>Signing out ends every session of the user (a new security stamp), on every node.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, WorkflowStore store, SecurityLog log, CancellationToken ct)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
        {
            await using var db = await store.CreateContextAsync(ct);
            if (await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) is { } user)
            {
                user.RevokeSessions();
                log.Add(db, context.SecurityEvent(SecurityEventKinds.SignOut, SecurityResults.Success, $"user:{id}", "本用户的全部会话已结束"));
                await db.SaveChangesAsync(ct);
            }
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    private static async Task<IResult> ChangePasswordAsync(ChangePasswordRequest request, Caller caller, HttpContext context, WorkflowStore store,
        PasswordPolicy passwords, SecurityLog log, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstAsync(u => u.Id == caller.Id, ct);
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword) || user.PasswordHash is null
            || PasswordPolicy.Verify(user, user.PasswordHash, request.CurrentPassword) == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
            errors.Add("currentPassword", "当前密码不正确。");
        else if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "请输入新密码。");
        else if (PasswordPolicy.Problem(user.Id, request.NewPassword) is { } weak) errors.Add("newPassword", weak);
        else if (await passwords.WasUsedAsync(db, user, request.NewPassword, ct)) errors.Add("newPassword", "新密码不能与最近使用过的密码相同。");
        if (errors.Any)
        {
            await log.WriteAsync(context.SecurityEvent(SecurityEventKinds.PasswordChanged, SecurityResults.Refused, $"user:{user.Id}",
                errors.Summary), ct);
            return errors.Problem();
        }

        await passwords.SetAsync(db, user, request.NewPassword!, mustChange: false, ct);
        log.Add(db, context.SecurityEvent(SecurityEventKinds.PasswordChanged, SecurityResults.Success, $"user:{user.Id}", "本人修改；其他会话已结束"));
        await db.SaveChangesAsync(ct);
        // This session goes on under the new stamp; every other session of the user ends at its next request.
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            AuthRegistration.Principal(new SignedInUser(user.Id, user.DisplayName, user.OrgUnitId, caller.Roles), user.SecurityStamp));
        return Results.NoContent();
    }

    private static async Task<IResult> BeginEnrolmentAsync(Caller caller, WorkflowStore store, SecondFactor secondFactor, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstAsync(u => u.Id == caller.Id, ct);
        if (user.TotpEnabledAt is not null)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "已绑定动态口令", detail: "动态口令已绑定；如需更换，请联系安全管理员重置。",
                extensions: new Dictionary<string, object?> { ["code"] = "second_factor_already_enrolled" });
        var setup = secondFactor.Begin(user);
        await db.SaveChangesAsync(ct);
        return Results.Ok(setup);
    }

    private static async Task<IResult> ConfirmEnrolmentAsync(SecondFactorCode request, Caller caller, HttpContext context, WorkflowStore store,
        SecondFactor secondFactor, SecurityLog log, TimeProvider clock, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstAsync(u => u.Id == caller.Id, ct);
        if (user.TotpEnabledAt is not null || user.TotpSecret is null)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "当前不能进行该操作",
                detail: user.TotpSecret is null ? "请先生成动态口令二维码。" : "动态口令已绑定。",
                extensions: new Dictionary<string, object?> { ["code"] = user.TotpSecret is null ? "second_factor_not_started" : "second_factor_already_enrolled" });
        if (secondFactor.Match(user, request.Code) is not { } step)
        {
            await log.WriteAsync(context.SecurityEvent(SecurityEventKinds.SecondFactorEnrolled, SecurityResults.Failure, $"user:{user.Id}", "动态口令错误（wrong_code）"), ct);
            return Problems.Field("code", "wrong_code", "动态口令不正确，请输入验证器应用中当前显示的 6 位数字。");
        }

        user.TotpEnabledAt = clock.GetUtcNow().UtcDateTime;
        user.TotpLastStep = step;
        log.Add(db, context.SecurityEvent(SecurityEventKinds.SecondFactorEnrolled, SecurityResults.Success, $"user:{user.Id}", "TOTP"));
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
