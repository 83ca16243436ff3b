using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;
using Yarp.ReverseProxy.Forwarder;

namespace PdsWorkflow.Host.Gateway;

/// <summary>
/// The interface gateway (平台代理的服务接口, 001 第八条): <c>/gateway/{interfaceCode}/{**rest}</c>, any method. The
/// interface code is the catalog mount's id. <see cref="GatewayAccess"/> decides; an allowed call is forwarded by YARP's
/// <see cref="IHttpForwarder"/> to the mount's endpoint with <c>rest</c> and the query appended, bodies streamed both
/// ways, under the header rules of <see cref="GatewayTransformer"/> and to addresses <see cref="UpstreamPolicy"/> allows
/// (<see cref="UpstreamConnector"/>). A refusal is a problem details response with the reason's <c>code</c>. A call
/// of a known application, allowed or refused, is a row of <c>api_calls</c>; a refused call nobody can be told for
/// (no or wrong credentials, an unknown interface) only adds one to a daily counter (<c>api_call_counters</c>), and a
/// source that keeps failing is answered 429 for a while (<see cref="GatewayFailureLimiter"/>).
/// </summary>
public static class GatewayEndpoints
{
    public static IServiceCollection AddInterfaceGateway(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<UpstreamConnector>();
        services.AddSingleton<GatewayFailureLimiter>();
        return services;
    }

    public static IEndpointRouteBuilder MapInterfaceGateway(this IEndpointRouteBuilder app)
    {
        app.Map("/gateway/{interfaceCode}/{**rest}", ForwardAsync).WithTags("Gateway").AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task ForwardAsync(HttpContext http, string interfaceCode, string? rest, GatewayAccess access, InterfaceService interfaces,
        IHttpForwarder forwarder, UpstreamConnector upstreams, GatewayFailureLimiter failures, IOptions<InterfacesOptions> options, TimeProvider clock,
        ILoggerFactory loggers)
    {
        var started = clock.GetTimestamp();
        var request = http.Request;
        var source = http.Connection.RemoteIpAddress;
        var requestBody = new CountingStream(request.Body);
        var responseBody = new CountingStream(http.Response.Body);
        request.Body = requestBody;
        http.Response.Body = responseBody;

        if (failures.Exhausted(source, out var retryAfter))
        {
            if (retryAfter is { } after) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteProblemAsync(http, StatusCodes.Status429TooManyRequests, GatewayRefusals.TooManyFailures, "请求过于频繁",
                "来自该地址的失败调用过多，请稍后再试，并检查应用标识、密钥和服务接口编号。");
            await interfaces.CountRefusalAsync(GatewayRefusals.TooManyFailures, null, null, CancellationToken.None);
            return;
        }

        var decision = await access.DecideAsync(new GatewayRequest(interfaceCode, request.Headers[GatewayAccess.AppKeyHeader].FirstOrDefault(),
            request.Headers[GatewayAccess.SecretHeader].FirstOrDefault(), source), http.RequestAborted);
        var status = decision.Status;
        var refusal = decision.Refusal;
        if (!decision.Allowed)
        {
            failures.Refused(source);
            await WriteProblemAsync(http, decision.Status, decision.Refusal!, decision.Title!, decision.Detail!);
        }
        else
        {
            var target = Target(decision.Upstream!, rest, request.QueryString);
            var error = await forwarder.SendAsync(http, target.GetLeftPart(UriPartial.Authority), upstreams.Invoker,
                new ForwarderRequestConfig { ActivityTimeout = options.Value.UpstreamTimeout }, new GatewayTransformer(target, source), http.RequestAborted);
            status = http.Response.StatusCode;
            if (error != ForwarderError.None)
            {
                var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
                var notAllowed = Cause<UpstreamNotAllowedException>(exception);
                refusal = notAllowed is null ? GatewayRefusals.UpstreamUnavailable : GatewayRefusals.UpstreamNotAllowed;
                loggers.CreateLogger(typeof(GatewayEndpoints)).LogWarning(exception, "Upstream {Upstream} of interface {Interface} failed: {Error}",
                    decision.Upstream, interfaceCode, error);
                if (!http.Response.HasStarted)
                {
                    status = StatusCodes.Status502BadGateway;
                    await (notAllowed is null
                        ? WriteProblemAsync(http, status, refusal, "服务接口暂不可用", "数据提供方的服务接口未响应或连接失败，请稍后再试。")
                        : WriteProblemAsync(http, status, refusal, "服务接口地址不被允许", "该服务接口的地址指向平台不代理的内部网络地址，请联系数据提供方或平台管理员。"));
                }
            }
        }

        // Recorded whatever became of the call; the request's token may be cancelled by now.
        if (decision.ApplicationId is null && refusal is not null)
        {
            await interfaces.CountRefusalAsync(refusal, decision.MountId, decision.ProviderOrgUnitId, CancellationToken.None);
            return;
        }

        await interfaces.RecordCallAsync(new ApiCall
        {
            Id = Guid.NewGuid(),
            At = clock.GetUtcNow().UtcDateTime,
            InterfaceCode = interfaceCode.Length > 100 ? interfaceCode[..100] : interfaceCode,
            MountId = decision.MountId,
            ProviderOrgUnitId = decision.ProviderOrgUnitId,
            ConsumerOrgUnitId = decision.ConsumerOrgUnitId,
            ApplicationId = decision.ApplicationId,
            AppKey = request.Headers[GatewayAccess.AppKeyHeader].FirstOrDefault(),
            AuthorizationId = decision.AuthorizationId,
            Method = request.Method,
            Path = Truncate(request.Path + request.QueryString, 1000),
            SourceIp = source?.ToString(),
            Status = status,
            LatencyMs = (long)clock.GetElapsedTime(started).TotalMilliseconds,
            BytesIn = requestBody.Count,
            BytesOut = responseBody.Count,
            Refusal = refusal,
        }, CancellationToken.None);
    }

    internal static Uri Target(Uri upstream, string? rest, QueryString query)
    {
        var builder = new UriBuilder(upstream);
        if (!string.IsNullOrEmpty(rest)) builder.Path = builder.Path.TrimEnd('/') + "/" + rest;
        if (query.HasValue) builder.Query = string.IsNullOrEmpty(builder.Query) ? query.Value![1..] : builder.Query[1..] + "&" + query.Value![1..];
        return builder.Uri;
    }

    private static T? Cause<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    private static async Task WriteProblemAsync(HttpContext http, int status, string code, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json; charset=utf-8";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, problem, ProblemJson, http.RequestAborted);
    }

    private static readonly System.Text.Json.JsonSerializerOptions ProblemJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;
}
