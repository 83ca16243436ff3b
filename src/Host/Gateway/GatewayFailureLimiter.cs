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
/// calls spend nothing: their volume is the authorisation's daily peak. Per node, in memory; the limiters of idle sources are
/// dropped by the partitioned limiter, which also replenishes them.
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

    /// <summary>
    /// The partition of a source: an IPv4 address, or an IPv6 address's /64 (one site's network: an attacker holding one
    /// would otherwise change address for every call). Idle partitions are dropped by the partitioned limiter.
    /// </summary>
    private static IPAddress Key(IPAddress? source)
    {
        if (source is null) return IPAddress.None;
        if (source.IsIPv4MappedToIPv6) return source.MapToIPv4();
        if (source.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return source;
        var bytes = source.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    public void Dispose() => _limiter.Dispose();
}
