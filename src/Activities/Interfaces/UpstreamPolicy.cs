using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// Where the gateway may send a call (SSRF): an http or https upstream whose every address is public, or listed in
/// <see cref="GatewayOptions.AllowedUpstreams"/>. Loopback, "this network", private (RFC 1918), shared (CGNAT),
/// link-local, unique-local, multicast and reserved ranges are refused unless listed; an IPv4 address mapped into IPv6
/// or NAT64 is judged as the IPv4 address it carries. Checked when an interface is mounted
/// (<see cref="CheckAsync"/>) and again on every connection the gateway opens, on the address actually connected to,
/// since a name may resolve differently later.
/// </summary>
public sealed class UpstreamPolicy(IOptions<GatewayOptions> options)
{
    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>True when a connection to <paramref name="address"/> is allowed.</summary>
    public bool Allows(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Embedded(address);
        var listed = options.Value.AllowedUpstreams.Select(ParseNetwork).OfType<IPNetwork>();
        if (listed.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address))) return true;
        return !Internal.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }

    /// <summary>
    /// Null when <paramref name="endpoint"/> may be an upstream; else the zh-CN reason. A name is resolved (within
    /// <see cref="GatewayOptions.ResolveTimeout"/>): a name that does not resolve, or resolves to any refused address, is refused.
    /// </summary>
    public async Task<string?> CheckAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps) return "服务接口地址只能是 http:// 或 https:// 地址。";
        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.ResolveTimeout);
            addresses = await ResolveAsync(endpoint.IdnHost, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"无法解析服务接口地址中的主机名“{endpoint.Host}”，请确认地址正确。";
        }

        if (addresses.Length == 0) return $"无法解析服务接口地址中的主机名“{endpoint.Host}”，请确认地址正确。";
        var refused = addresses.FirstOrDefault(a => !Allows(a));
        return refused is null
            ? null
            : $"服务接口地址指向内部网络地址 {refused}（本机、内网或链路本地地址），平台不代理此类地址；如确属政务外网接口，请联系平台管理员将其网段列入允许范围。";
    }

    /// <summary>The addresses of <paramref name="host"/>: itself when it is an address (with or without brackets), else DNS.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out var literal)) return [literal];
        return await Dns.GetHostAddressesAsync(bare, cancellationToken);
    }

    /// <summary>An address or a CIDR network; null when it is neither.</summary>
    public static IPNetwork? ParseNetwork(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry)) return null;
        if (entry.Contains('/', StringComparison.Ordinal)) return IPNetwork.TryParse(entry.Trim(), out var network) ? network : null;
        return IPAddress.TryParse(entry.Trim(), out var address)
            ? new IPNetwork(Embedded(address), Embedded(address).AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }

    /// <summary>The IPv4 address an IPv4-mapped or NAT64 IPv6 address carries; any other address as it is.</summary>
    private static IPAddress Embedded(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
            return new IPAddress(address.GetAddressBytes()[12..]);
        return address;
    }
}
