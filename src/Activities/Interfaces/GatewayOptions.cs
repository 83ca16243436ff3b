using System.Net;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>The interface gateway's network rules (section <c>Gateway</c>; docs/interfaces.md, docs/security.md).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Addresses or CIDR networks an upstream may have although they are internal (loopback, link-local, private,
    /// unique-local…), typically the e-government extranet's ranges: <c>["10.0.0.0/8"]</c>. Empty: public addresses only.
    /// </summary>
    public string[] AllowedUpstreams { get; set; } = [];

    /// <summary>Refused calls (wrong or no credentials, unknown interface, refused authorisation) one source address may make per window.</summary>
    public int FailureLimit { get; set; } = 30;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long resolving an upstream's name may take when an interface is mounted.</summary>
    public TimeSpan ResolveTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        foreach (var entry in options.AllowedUpstreams.Where(e => UpstreamPolicy.ParseNetwork(e) is null))
            failures.Add($"Gateway:AllowedUpstreams entry '{entry}' is not an IP address or a CIDR network (10.0.0.0/8).");
        if (options.FailureLimit < 1) failures.Add($"Gateway:FailureLimit must be at least 1 (is {options.FailureLimit}).");
        if (options.FailureWindow <= TimeSpan.Zero) failures.Add("Gateway:FailureWindow must be positive.");
        if (options.ResolveTimeout <= TimeSpan.Zero) failures.Add("Gateway:ResolveTimeout must be positive.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
