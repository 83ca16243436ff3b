using System.Net;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Host.Security;

/// <summary>How the Host is reached (section <c>Http</c>).</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>
    /// The address users reach the platform at (https://sjgx.pds.gov.cn/), for the OpenAPI document's <c>servers</c>;
    /// empty: the document names no server. Never taken from the request's Host header.
    /// </summary>
    public string PublicBaseAddress { get; set; } = "";

    /// <summary>
    /// The platform is used over HTTPS only (directly or through a TLS-terminating proxy, see
    /// <see cref="ForwardedHeadersSettings"/>): cookies are always Secure and a plain-HTTP request is redirected to HTTPS
    /// (the health endpoints excepted). Off: cookies are Secure when the request came over HTTPS.
    /// </summary>
    public bool HttpsOnly { get; set; }

    /// <summary>The <c>Strict-Transport-Security</c> max-age sent with every HTTPS response; zero sends none.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the Host believes (section
/// <c>ForwardedHeaders</c>). Empty by default: the headers are ignored and the connection's own address and scheme count.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. 10.1.0.5.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. 10.1.0.0/24.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>, IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var failures = new List<string>();
        if (options.PublicBaseAddress.Length > 0 &&
            !(Uri.TryCreate(options.PublicBaseAddress, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
              uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0))
            failures.Add($"Http:PublicBaseAddress '{options.PublicBaseAddress}' must be an absolute http or https address without user, query or fragment.");
        if (options.HstsMaxAge < TimeSpan.Zero) failures.Add("Http:HstsMaxAge must not be negative.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        foreach (var proxy in options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _) || p.Contains('/', StringComparison.Ordinal)))
            failures.Add($"ForwardedHeaders:KnownProxies entry '{proxy}' is not an IP address.");
        foreach (var network in options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
            failures.Add($"ForwardedHeaders:KnownNetworks entry '{network}' is not a network in CIDR notation (10.1.0.0/24).");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
