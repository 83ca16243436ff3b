using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;

namespace PdsWorkflow.Host.Gateway;

/// <summary>
/// Refused gateway calls per source address, with the fixed-window limiter of System.Threading.RateLimiting (the
/// limiters behind ASP.NET Core's rate limiting middleware). The middleware decides before the endpoint runs, but
/// whether a call is refused is known only after the gateway looked at its credentials and authorisation; so a source
/// spends one permit per refused call, and a source with none left is answered 429 before any database work. Allowed
/// calls spend nothing: their volume is the authorisation's daily peak. Per node, in memory.
/// </summary>
public sealed class GatewayFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public GatewayFailureLimiter(IOptions<GatewayOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(source => RateLimitPartition.GetFixedWindowLimiter(source,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.FailureLimit, Window = settings.FailureWindow, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>True when <paramref name="source"/> has no refused call left in this window; <paramref name="retryAfter"/> says when it has.</summary>
    public bool Exhausted(IPAddress? source, out TimeSpan? retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(Key(source), 0);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        return !lease.IsAcquired;
    }

    /// <summary>Spends one of the source's refused calls.</summary>
    public void Refused(IPAddress? source)
    {
        using var _ = _limiter.AttemptAcquire(Key(source), 1);
    }

    private static IPAddress Key(IPAddress? source) => source is null ? IPAddress.None : source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;

    public void Dispose() => _limiter.Dispose();
}
