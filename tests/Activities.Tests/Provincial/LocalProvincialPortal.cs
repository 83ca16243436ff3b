using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Tests.Provincial;

/// <summary>
/// Stands in for the provincial portal on 127.0.0.1. It checks each request's HMAC-SHA256 signature with its own code
/// (HMACSHA256 over "timestamp.body", not the product's ProvincialSignature) and answers 401 when it does not match,
/// keeps one package per Idempotency-Key (a repeat is acknowledged, not stored twice) and can be told to fail the next
/// requests with 503.
/// </summary>
public sealed class LocalProvincialPortal : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly string _secret;
    private readonly ConcurrentDictionary<string, JsonObject> _packages = new(StringComparer.Ordinal);
    private int _failures;

    public LocalProvincialPortal(string secret)
    {
        _secret = secret;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}/share/v1/forwarded-requests");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>Every request that arrived, with the status it was answered.</summary>
    public ConcurrentQueue<(string? Key, int Status)> Requests { get; } = new();

    public IReadOnlyDictionary<string, JsonObject> Packages => _packages;

    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var key = context.Request.Headers["Idempotency-Key"];
            var status = Answer(context.Request, buffer.ToArray(), key);
            Requests.Enqueue((key, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    private int Answer(HttpListenerRequest request, byte[] body, string? key)
    {
        if (request.HttpMethod != "POST" || request.Url!.AbsolutePath != Endpoint.AbsolutePath) return 404;
        if (!IsSigned(request.Headers["X-Pds-Timestamp"], request.Headers["X-Pds-Signature"], body)) return 401;
        if (Interlocked.Decrement(ref _failures) >= 0) return 503;
        if (string.IsNullOrEmpty(key)) return 400;
        _packages.TryAdd(key, JsonNode.Parse(body)!.AsObject());
        return 200;
    }

    private bool IsSigned(string? timestamp, string? signature, byte[] body)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(_secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash([.. Encoding.ASCII.GetBytes(timestamp + "."), .. body])).ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
