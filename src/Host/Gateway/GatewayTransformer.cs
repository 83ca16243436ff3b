using System.Net;
using PdsWorkflow.Activities.Interfaces;
using Yarp.ReverseProxy.Forwarder;

namespace PdsWorkflow.Host.Gateway;

/// <summary>
/// The header rules of one forwarded call (docs/interfaces.md "Gateway"). To the upstream: the client's headers without
/// the platform credentials, cookies, hop-by-hop headers and every forwarding header the client may have set itself
/// (<c>X-Forwarded-*</c>, <c>X-Real-IP</c>, <c>Forwarded</c>…); the gateway sets <c>X-Forwarded-For</c> to the address the
/// call came from. Back to the client: the upstream's headers without <c>Set-Cookie</c> (a cookie would be set on the
/// platform's origin) and without hop-by-hop headers.
/// </summary>
internal sealed class GatewayTransformer(Uri target, IPAddress? source) : HttpTransformer
{
    private static readonly string[] HopByHop =
        ["Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade"];

    private static readonly string[] NotFromClients =
    [
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-Port", "X-Forwarded-Server", "X-Forwarded-Ssl",
        "X-Real-IP", "X-Client-IP", "X-Original-For", "X-Original-Host", "X-Cluster-Client-IP", "True-Client-IP", "Forwarded", "Via",
        GatewayAccess.AppKeyHeader, GatewayAccess.SecretHeader, "Cookie",
    ];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        foreach (var name in NotFromClients.Concat(HopByHop).Concat(Named(httpContext.Request.Headers.Connection)))
        {
            Remove(proxyRequest.Headers, name);
            if (proxyRequest.Content is { } content) Remove(content.Headers, name);
        }

        if (source is not null) proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", source.ToString());
        proxyRequest.RequestUri = target;
        proxyRequest.Headers.Host = null;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var headers = httpContext.Response.Headers;
        var named = proxyResponse is null ? [] : proxyResponse.Headers.Connection.ToArray();
        foreach (var name in new[] { "Set-Cookie", "Set-Cookie2" }.Concat(HopByHop).Concat(named)) headers.Remove(name);
        return proceed;
    }

    /// <summary>Removes a header whatever its kind (Remove throws for a content header name on request headers, and the reverse).</summary>
    private static void Remove(System.Net.Http.Headers.HttpHeaders headers, string name)
    {
        if (headers.NonValidated.Contains(name)) headers.Remove(name);
    }

    /// <summary>The headers a Connection header names as hop-by-hop (RFC 9110 7.6.1).</summary>
    private static IEnumerable<string> Named(Microsoft.Extensions.Primitives.StringValues connection) =>
        connection.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
