using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// The portal's HTTP interface: the package as a JSON POST to <see cref="ProvincialOptions.Endpoint"/>, signed
/// (<see cref="ProvincialSignature"/>), with the correlation id as <c>Idempotency-Key</c>. A 2xx answer is receipt; 409
/// means the portal has the package already (a repeat after a crash), which is receipt too.
/// </summary>
public sealed class HttpProvincialPortal(IOptions<ProvincialOptions> options, TimeProvider clock) : IProvincialPortal, IDisposable
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string PlatformHeader = "X-Pds-Platform";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public async Task SubmitAsync(ProvincialSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var settings = options.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(submission.Package, Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Endpoint!));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(ProvincialSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ProvincialSignature.SignatureHeader, ProvincialSignature.Sign(settings.SharedSecret!, timestamp, body));
        request.Headers.Add(IdempotencyHeader, submission.CorrelationId);
        request.Headers.Add(PlatformHeader, settings.PlatformCode);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var response = await _http.SendAsync(request, timeout.Token);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict) return;
        var answer = await response.Content.ReadAsStringAsync(timeout.Token);
        throw new ProvincialPortalException(
            $"The provincial portal refused package {submission.CorrelationId}: HTTP {(int)response.StatusCode}, {(answer.Length > 500 ? answer[..500] : answer)}");
    }

    public void Dispose() => _http.Dispose();
}
