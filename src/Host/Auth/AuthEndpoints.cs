using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PdsWorkflow.Host.Api;

namespace PdsWorkflow.Host.Auth;

public sealed record SignInRequest(string? UserName, string? Password);

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", async (SignInRequest request, SignInService signIn, HttpContext context, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
                return Problems.Field(string.IsNullOrWhiteSpace(request.UserName) ? "userName" : "password", "credentials_required", "请输入用户名和密码。");
            var (user, failure, lockedUntil) = await signIn.SignInAsync(request.UserName.Trim(), request.Password, ct);
            if (user is null)
                return failure == SignInFailure.LockedOut
                    ? Results.Problem(statusCode: StatusCodes.Status423Locked, title: "账号已锁定",
                        detail: $"密码连续输错次数过多，账号已锁定至 {lockedUntil!.Value.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}。",
                        extensions: new Dictionary<string, object?> { ["code"] = "account_locked" })
                    : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "登录失败", detail: "用户名或密码错误。",
                        extensions: new Dictionary<string, object?> { ["code"] = "wrong_credentials" });
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AuthRegistration.Principal(user));
            return Results.Ok(user);
        });
        auth.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });
        auth.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new SignedInUser(user.UserId(), user.Identity!.Name!,
            user.FindFirstValue(AuthRegistration.OrgUnitClaim)!, user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList()))).RequireAuthorization();
        auth.MapGet("/csrf", (IAntiforgery antiforgery, HttpContext context) =>
            Results.Ok(new { token = antiforgery.GetAndStoreTokens(context).RequestToken, header = AuthRegistration.CsrfHeader }));
        return app;
    }
}
