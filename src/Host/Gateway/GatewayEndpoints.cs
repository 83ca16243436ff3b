using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;

namespace PdsWorkflow.Host.Gateway;

/// <summary>
/// The interface gateway (平台代理的服务接口, 001 第八条): <c>/gateway/{interfaceCode}/{**rest}</c>, any method. The
/// interface code is the catalog mount's id. <see cref="GatewayAccess"/> decides; an allowed call is forwarded to the
/// mount's endpoint with <c>rest</c> and the query appended, request and response bodies streamed both ways (the
/// response is read from its headers on, never buffered whole). A refusal is a problem details response with the
/// reason's <c>code</c>. Every call, allowed or refused, is logged in <c>api_calls</c>.
/// </summary>
public static class GatewayEndpoints
{
    public const string HttpClientName = "pds-gateway";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
        GatewayAccess.AppKeyHeader, GatewayAccess.SecretHeader, "Cookie",
    };

    public static IServiceCollection AddInterfaceGateway(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<InterfacesOptions>>().Value.UpstreamTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapInterfaceGateway(this IEndpointRouteBuilder app)
    {
        app.Map("/gateway/{interfaceCode}/{**rest}", ForwardAsync).WithTags("Gateway").AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task ForwardAsync(HttpContext http, string interfaceCode, string? rest, GatewayAccess access, InterfaceService interfaces,
        IHttpClientFactory clients, TimeProvider clock, ILoggerFactory loggers)
    {
        var started = clock.GetTimestamp();
        var cancellationToken = http.RequestAborted;
        var request = http.Request;
        var source = http.Connection.RemoteIpAddress;
        var decision = await access.DecideAsync(new GatewayRequest(interfaceCode, request.Headers[GatewayAccess.AppKeyHeader].FirstOrDefault(),
            request.Headers[GatewayAccess.SecretHeader].FirstOrDefault(), source), cancellationToken);

        var requestBody = new CountingStream(request.Body);
        var responseBody = new CountingStream(http.Response.Body);
        var status = decision.Status;
        var refusal = decision.Refusal;
        if (!decision.Allowed)
        {
            await WriteProblemAsync(http, responseBody, decision.Status, decision.Refusal!, decision.Title!, decision.Detail!);
        }
        else
        {
            try
            {
                using var forward = new HttpRequestMessage(new HttpMethod(request.Method), Target(decision.Upstream!, rest, request.QueryString));
                if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0) forward.Content = new StreamContent(requestBody);
                foreach (var (name, values) in request.Headers)
                {
                    if (HopByHop.Contains(name)) continue;
                    if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray())) forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
                }

                forward.Headers.TryAddWithoutValidation("X-Forwarded-For", source?.ToString());
                using var response = await clients.CreateClient(HttpClientName).SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                status = (int)response.StatusCode;
                http.Response.StatusCode = status;
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                    if (!HopByHop.Contains(name)) http.Response.Headers[name] = values.ToArray();
                await using var upstream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await upstream.CopyToAsync(responseBody, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                loggers.CreateLogger(typeof(GatewayEndpoints)).LogWarning(ex, "Upstream {Upstream} of interface {Interface} failed", decision.Upstream, interfaceCode);
                status = StatusCodes.Status502BadGateway;
                refusal = "upstream_unavailable";
                if (!http.Response.HasStarted)
                    await WriteProblemAsync(http, responseBody, status, refusal, "服务接口暂不可用", "数据提供方的服务接口未响应或连接失败，请稍后再试。");
            }
        }

        // Logged whatever became of the call; the request's token may be cancelled by now.
        await interfaces.RecordCallAsync(new ApiCall
        {
            Id = Guid.NewGuid(),
            At = clock.GetUtcNow().UtcDateTime,
            InterfaceCode = interfaceCode.Length > 100 ? interfaceCode[..100] : interfaceCode,
            MountId = decision.MountId,
            ProviderOrgUnitId = decision.ProviderOrgUnitId,
            ConsumerOrgUnitId = decision.ConsumerOrgUnitId,
            ApplicationId = decision.ApplicationId,
            AppKey = decision.ApplicationId is null ? null : request.Headers[GatewayAccess.AppKeyHeader].FirstOrDefault(),
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

    private static async Task WriteProblemAsync(HttpContext http, Stream body, int status, string code, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json; charset=utf-8";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        await System.Text.Json.JsonSerializer.SerializeAsync(body, problem, ProblemJson, http.RequestAborted);
    }

    private static readonly System.Text.Json.JsonSerializerOptions ProblemJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;
}
