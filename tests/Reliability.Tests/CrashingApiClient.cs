using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// Whether the Host is up. The driver closes the gate before it kills the Host and opens it once the next start is
/// ready; a client whose request failed waits here before it tries again.
/// </summary>
public sealed class HostGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _up = NewOpen();

    public void Close()
    {
        lock (_lock)
            if (_up.Task.IsCompleted) _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Open()
    {
        lock (_lock) _up.TrySetResult();
    }

    public Task WaitUpAsync(CancellationToken ct)
    {
        lock (_lock) return _up.Task.WaitAsync(ct);
    }

    private static TaskCompletionSource NewOpen()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}

/// <summary>An answer of the Host; <see cref="Retried"/>: an earlier attempt of the same command got no answer (the Host died under it).</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonNode? Body, bool Retried)
{
    public string? Code => Body is JsonObject o && o["code"] is JsonValue v && v.TryGetValue<string>(out var code) ? code : null;
    public bool IsSuccess => (int)Status is >= 200 and < 300;
    public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
}

/// <summary>
/// One demo user's own HTTP session with the Host (cookie and CSRF token), as a browser tab would hold it. A request that
/// gets no answer (connection refused or reset: the Host was killed) is sent again once the Host is back; a lost session
/// (401, or a CSRF token the new process refuses) signs in again. Whether the first attempt was applied is for the caller
/// to judge from the answer to the retry, which the command's own conflict codes tell.
/// </summary>
public sealed class CrashingApiClient : IDisposable
{
    public const string Password = "Pds@2026demo";
    private readonly HttpClient _http;
    private readonly HostGate _gate;
    private readonly ConcurrentQueue<string> _findings;
    private bool _signedIn;

    public CrashingApiClient(string userName, Uri address, HostGate gate, ConcurrentQueue<string> findings)
    {
        UserName = userName;
        _gate = gate;
        _findings = findings;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public string UserName { get; }

    /// <summary>Requests that got no answer and were sent again.</summary>
    public int Retries { get; private set; }

    public int SignIns { get; private set; }

    public Task<ApiAnswer> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<ApiAnswer> PostAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body ?? new JsonObject(), ct);

    /// <summary>Sends the request until it gets an answer; every attempt carries <paramref name="idempotencyKey"/> when given.</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct, string? idempotencyKey = null)
    {
        var retried = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await _gate.WaitUpAsync(ct);
            try
            {
                if (!_signedIn) await SignInAsync(ct);
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                if (body is not null) request.Content = JsonContent.Create(body);
                if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
                using var response = await _http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                var answer = new ApiAnswer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), retried);
                if (response.StatusCode == HttpStatusCode.Unauthorized || answer.Code == "csrf_token_invalid")
                {
                    _signedIn = false;
                    continue;
                }

                if ((int)response.StatusCode >= 500) _findings.Enqueue($"{UserName} {method} {path}: {answer}");
                return answer;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // No answer: the Host died (or is dying) under the request. Whether it was applied is unknown.
                retried = true;
                Retries++;
                await Task.Delay(100, ct);
            }
        }
    }

    private async Task SignInAsync(CancellationToken ct)
    {
        var login = await _http.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName = UserName, password = Password }, ct);
        if (!login.IsSuccessStatusCode)
            throw new InvalidOperationException($"{UserName} could not sign in: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync(ct)}");
        var csrf = await _http.GetFromJsonAsync<JsonObject>(new Uri("/api/auth/csrf", UriKind.Relative), ct);
        _http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        _http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf!["token"]!.GetValue<string>());
        _signedIn = true;
        SignIns++;
    }

    public void Dispose() => _http.Dispose();
}
