using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Tests.Accounts.Support;

/// <summary>
/// Stands in for Alibaba Cloud's SMS endpoint on 127.0.0.1: it recomputes each request's signature version 1.0 with
/// its own implementation of the documented algorithm (RFC 3986 encoding through Uri.EscapeDataString, not the
/// product's code) and answers SignatureDoesNotMatch, InvalidAccessKeyId.NotFound or SignatureNonceUsed as the real
/// service does. Accepted messages are kept per OutId — a repeated OutId reaches the phone once, as a gateway that
/// de-duplicates by the caller's id would — and every accepted request is counted.
/// </summary>
public sealed class LocalAliyunSmsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly ConcurrentDictionary<string, byte> _nonces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeliveredSms> _phone = new(StringComparer.Ordinal);

    public LocalAliyunSmsServer(string accessKeyId, string accessKeySecret)
    {
        AccessKeyId = accessKeyId;
        AccessKeySecret = accessKeySecret;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string AccessKeyId { get; }
    public string AccessKeySecret { get; }
    public int Port { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<DeliveredSms> Accepted { get; } = new();
    public ConcurrentQueue<string> Rejected { get; } = new();

    /// <summary>One message per OutId: what the phones received.</summary>
    public IReadOnlyList<DeliveredSms> Delivered => _phone.Values.OrderBy(m => m.Sequence).ToList();

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

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var (status, answer) = Answer(context.Request.HttpMethod, context.Request.HttpMethod == "GET" ? context.Request.Url!.Query.TrimStart('?') : body);
            var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json;charset=utf-8";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, JsonObject Answer) Answer(string method, string form)
    {
        var parameters = form.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);
        var requestId = Guid.NewGuid().ToString().ToUpperInvariant();
        JsonObject Error(string code, string message)
        {
            Rejected.Enqueue(code);
            return new JsonObject { ["RequestId"] = requestId, ["Code"] = code, ["Message"] = message };
        }

        foreach (var required in new[] { "AccessKeyId", "Action", "Format", "PhoneNumbers", "SignName", "SignatureMethod", "SignatureNonce", "SignatureVersion", "TemplateCode", "Timestamp", "Version", "Signature" })
            if (!parameters.ContainsKey(required)) return (400, Error("MissingParameter", $"{required} is mandatory for this action."));
        if (parameters["AccessKeyId"] != AccessKeyId) return (404, Error("InvalidAccessKeyId.NotFound", "Specified access key is not found."));
        if (parameters["Action"] != "SendSms" || parameters["Version"] != "2017-05-25" || parameters["SignatureMethod"] != "HMAC-SHA1" || parameters["SignatureVersion"] != "1.0")
            return (400, Error("InvalidParameter", "Unsupported action, version or signature method."));
        if (Signature(method, parameters, AccessKeySecret) != parameters["Signature"])
            return (400, Error("SignatureDoesNotMatch", "Specified signature is not matched with our calculation."));
        if (!_nonces.TryAdd(parameters["SignatureNonce"], 0)) return (400, Error("SignatureNonceUsed", "Specified signature nonce was used already."));

        var sms = new DeliveredSms(Accepted.Count + 1, parameters["PhoneNumbers"], parameters["SignName"], parameters["TemplateCode"],
            JsonNode.Parse(parameters.GetValueOrDefault("TemplateParam") ?? "{}")!.AsObject(), parameters.GetValueOrDefault("OutId"));
        Accepted.Enqueue(sms);
        _phone.TryAdd(sms.OutId ?? requestId, sms);
        return (200, new JsonObject { ["RequestId"] = requestId, ["BizId"] = "900619746936498440^0", ["Code"] = "OK", ["Message"] = "OK" });
    }

    /// <summary>The documented algorithm, written independently of the product's <c>AliyunSignature</c>.</summary>
    public static string Signature(string method, IReadOnlyDictionary<string, string> parameters, string secret)
    {
        var query = string.Join("&", parameters.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var toSign = method + "&" + Uri.EscapeDataString("/") + "&" + Uri.EscapeDataString(query);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}

public sealed record DeliveredSms(int Sequence, string Phone, string SignName, string TemplateCode, JsonObject Parameters, string? OutId);
