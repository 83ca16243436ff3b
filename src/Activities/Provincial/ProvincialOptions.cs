using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Provincial;

public enum ProvincialPortalKind
{
    /// <summary>No portal: forwarded packages wait in the outbox until one is configured.</summary>
    None,

    /// <summary>The provincial sharing portal's HTTP interface: a signed JSON POST (<see cref="HttpProvincialPortal"/>).</summary>
    Http,

    /// <summary>
    /// No portal can be reached (a demo, a test site): packages are kept in memory and logged
    /// (<see cref="RecordingProvincialPortal"/>), and decisions are recorded by bureau staff.
    /// </summary>
    Recording,
}

/// <summary>Bound from the <c>Provincial</c> configuration section.</summary>
public sealed class ProvincialOptions
{
    public const string Section = "Provincial";

    public ProvincialPortalKind Portal { get; set; } = ProvincialPortalKind.None;

    /// <summary>Where the portal receives transfer packages (Http).</summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// The key both sides sign with (HMAC-SHA256, at least 32 characters): the packages sent to the portal, and the
    /// decisions it posts back to <c>/api/provincial/decisions</c>. Without it no callback is accepted.
    /// </summary>
    public string? SharedSecret { get; set; }

    /// <summary>The city platform's code, sent with each package (平顶山市: 410400).</summary>
    public string PlatformCode { get; set; } = "410400";

    /// <summary>How far a signed request's timestamp may be from this node's clock.</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The unit that proxies the resources in the city catalog; empty: the bureau (the active unit of kind Bureau).</summary>
    public string? ProxyOrgUnitId { get; set; }

    public bool IsConfigured => Portal != ProvincialPortalKind.None;

    public bool AcceptsCallbacks => !string.IsNullOrEmpty(SharedSecret);
}

/// <summary>Names every bad <c>Provincial</c> setting at start-up.</summary>
internal sealed class ProvincialOptionsValidator : IValidateOptions<ProvincialOptions>
{
    public const int MinimumSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, ProvincialOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Portal))
            failures.Add($"Provincial:Portal '{options.Portal}' is not supported; use None, Http or Recording.");
        if (options.Portal == ProvincialPortalKind.Http)
        {
            if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                failures.Add($"Provincial:Endpoint '{options.Endpoint}' is not an absolute http(s) URL (required when Provincial:Portal is Http).");
            if (string.IsNullOrEmpty(options.SharedSecret))
                failures.Add("Provincial:SharedSecret is required when Provincial:Portal is Http.");
        }

        if (!string.IsNullOrEmpty(options.SharedSecret) && options.SharedSecret.Length < MinimumSecretLength)
            failures.Add($"Provincial:SharedSecret must be at least {MinimumSecretLength} characters long.");
        if (string.IsNullOrWhiteSpace(options.PlatformCode))
            failures.Add("Provincial:PlatformCode is required.");
        if (options.SignatureTolerance < TimeSpan.FromSeconds(30) || options.SignatureTolerance > TimeSpan.FromHours(1))
            failures.Add($"Provincial:SignatureTolerance '{options.SignatureTolerance}' must be between 00:00:30 and 01:00:00.");
        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
            failures.Add($"Provincial:Timeout '{options.Timeout}' must be between 00:00:01 and 00:05:00.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
