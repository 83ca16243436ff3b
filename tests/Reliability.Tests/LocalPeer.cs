using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// The other system, on 127.0.0.1: an HTTP endpoint that records every delivery and applies each Idempotency-Key once,
/// as a receiving system that honours the key does. A repeat after a crash is counted, never applied twice.
/// </summary>
public sealed class LocalPeer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _applied = new(StringComparer.Ordinal);
    private int _withoutKey;

    public LocalPeer()
    {
        Port = FreePort();
        Url = $"http://127.0.0.1:{Port}/ping/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Url { get; }

    /// <summary>Deliveries per key, repeats included.</summary>
    public IReadOnlyDictionary<string, int> Received => _received;

    /// <summary>The keys whose effect was applied: each once.</summary>
    public IReadOnlyCollection<string> Applied => _applied.Keys.ToList();

    public int WithoutKey => _withoutKey;

    public void Dispose() => _listener.Close();

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

            var key = context.Request.Headers["Idempotency-Key"];
            if (string.IsNullOrEmpty(key))
            {
                Interlocked.Increment(ref _withoutKey);
                context.Response.StatusCode = 400;
            }
            else
            {
                _received.AddOrUpdate(key, 1, (_, n) => n + 1);
                _applied.TryAdd(key, 0);
                context.Response.StatusCode = 200;
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
