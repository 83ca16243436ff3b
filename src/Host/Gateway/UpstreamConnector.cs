using System.Net;
using System.Net.Sockets;
using PdsWorkflow.Activities.Interfaces;

namespace PdsWorkflow.Host.Gateway;

/// <summary>The upstream resolved (or was written) to an address the gateway may not connect to.</summary>
internal sealed class UpstreamNotAllowedException(string host, IPAddress? address)
    : Exception($"Upstream host '{host}' resolves to {address?.ToString() ?? "no address"}, which Gateway:AllowedUpstreams does not allow.")
{
    public string Host { get; } = host;
    public IPAddress? Address { get; } = address;
}

/// <summary>
/// The gateway's one HTTP client to upstreams (YARP's recommended handler settings: no proxy, no redirects, no cookies,
/// no decompression). Its connect step resolves the name itself and connects only when every address is one
/// <see cref="UpstreamPolicy"/> allows, then checks the address actually connected to: a name that resolved to a public
/// address when the interface was mounted cannot be turned towards the platform's own network later (DNS rebinding).
/// </summary>
public sealed class UpstreamConnector : IDisposable
{
    private readonly UpstreamPolicy _policy;

    public UpstreamConnector(UpstreamPolicy policy)
    {
        _policy = policy;
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // A pooled connection is re-resolved (and re-checked) after this long.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        }, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await UpstreamPolicy.ResolveAsync(host, cancellationToken);
        var refused = addresses.FirstOrDefault(a => !_policy.Allows(a));
        if (addresses.Length == 0 || refused is not null) throw new UpstreamNotAllowedException(host, refused);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            if (socket.RemoteEndPoint is not IPEndPoint connected || !_policy.Allows(connected.Address))
                throw new UpstreamNotAllowedException(host, (socket.RemoteEndPoint as IPEndPoint)?.Address);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => Invoker.Dispose();
}
