using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Host.Auth.KeyRing;
using PdsWorkflow.Workflows.Audit;

namespace PdsWorkflow.Host.Auth;

public static class AuthRegistration
{
    public const string OrgUnitClaim = "pds:org";
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>The user's security stamp when the session was signed in; <see cref="Api.ApiCaller"/> compares it with the database's.</summary>
    public const string StampClaim = "pds:stamp";

    /// <summary>The rate-limiting policy of sign-in and password checks: <see cref="SignInOptions.SourcePermitLimit"/> per source address.</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>Cookie sign-in with sliding expiry, 401/403 problem responses for the API, and CSRF tokens in a header.</summary>
    public static IHostApplicationBuilder AddPdsAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().Bind(builder.Configuration.GetSection(SignInOptions.Section)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>());
        builder.Services.AddPdsKeyRing(builder.Configuration);
        builder.Services.AddSingleton<PasswordPolicy>();
        builder.Services.AddSingleton<SecondFactor>();
        builder.Services.AddSingleton<SessionGate>();
        builder.Services.AddSingleton<SignInService>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignInLimit, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value;
                return RateLimitPartition.GetSlidingWindowLimiter(context.SourceAddress() ?? "unknown", _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = settings.SourcePermitLimit, Window = settings.SourceWindow, SegmentsPerWindow = 6, QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "尝试过于频繁", detail: "来自本地址的登录尝试过多，请稍后再试。",
                    extensions: new Dictionary<string, object?> { ["code"] = "too_many_attempts" }).ExecuteAsync(rejected.HttpContext);
            };
        });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SignInOptions>>((cookie, signIn) =>
            {
                cookie.Cookie.Name = "pds.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = signIn.Value.SessionTimeout;
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => Deny(context.HttpContext, StatusCodes.Status401Unauthorized, "not_signed_in", "请先登录");
                cookie.Events.OnRedirectToAccessDenied = async context =>
                {
                    // A refused change is an event for the auditor (越权尝试); refused reads are not logged row by row.
                    var request = context.HttpContext.Request;
                    if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
                        await context.HttpContext.LogSecurityAsync(SecurityEventKinds.AccessDenied, SecurityResults.Refused, $"{request.Method} {request.Path}");
                    await Deny(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "无权访问");
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "pds.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    public static ClaimsPrincipal Principal(SignedInUser user, string? securityStamp = null) => new(new ClaimsIdentity(
        [
            new Claim(StampClaim, securityStamp ?? ""),
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(OrgUnitClaim, user.OrgUnitId),
            .. user.Roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ], CookieAuthenticationDefaults.AuthenticationScheme));

    public static string UserId(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The request is not signed in.");

    /// <summary>
    /// Every state-changing API request must carry the CSRF token (from <c>GET /api/auth/csrf</c>) in the
    /// <see cref="CsrfHeader"/> header; signing in is an exception, as there is no session to forge yet, and so are
    /// endpoints marked <c>DisableAntiforgery()</c> that authenticate otherwise than by the session cookie (a signed callback).
    /// </summary>
    public static IApplicationBuilder UseCsrfProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        var exempt = context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false };
        if (!safe && !exempt && request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/api/auth/login"))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Deny(context, StatusCodes.Status400BadRequest, "csrf_token_invalid", "请求缺少有效的防跨站令牌（X-CSRF-TOKEN），请刷新页面后重试");
                return;
            }
        }

        await next(context);
    });

    private static Task Deny(HttpContext context, int status, string code, string title) =>
        Results.Problem(statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(context);
}
