using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// Alibaba Cloud SMS <c>SendSms</c> (API version 2017-05-25): a POST of the signed parameters as a form body (the POST
/// form keeps the template parameters, the zip password among them, out of URLs and access logs). Success is
/// <c>"Code": "OK"</c> in the JSON answer; any other code is a refusal.
/// </summary>
public sealed class AliyunSmsGateway(IOptions<SmsOptions> options, TimeProvider clock) : ISmsGateway, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public const string ApiVersion = "2017-05-25";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccessKeyId"] = settings.AccessKeyId!,
            ["Action"] = "SendSms",
            ["Format"] = "JSON",
            ["OutId"] = request.OutId,
            ["PhoneNumbers"] = request.PhoneNumber,
            ["RegionId"] = settings.RegionId,
            ["SignName"] = settings.SignName!,
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = Guid.NewGuid().ToString(),
            ["SignatureVersion"] = "1.0",
            ["TemplateCode"] = request.TemplateCode ?? settings.TemplateCode!,
            ["TemplateParam"] = request.TemplateParameters.ToJsonString(Json),
            ["Timestamp"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["Version"] = ApiVersion,
        };
        parameters["Signature"] = AliyunSignature.Sign("POST", parameters, settings.AccessKeySecret!);
        var body = string.Join('&', parameters.Select(p => $"{AliyunSignature.PercentEncode(p.Key)}={AliyunSignature.PercentEncode(p.Value)}"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _http.PostAsync(new Uri(settings.Endpoint), content, timeout.Token);
        var answer = await ReadAnswerAsync(response, timeout.Token);
        if (!response.IsSuccessStatusCode || answer?.Code != "OK")
            throw new SmsGatewayException($"Alibaba Cloud SMS refused the message: HTTP {(int)response.StatusCode}, Code {answer?.Code ?? "?"}, Message {answer?.Message ?? "?"}, RequestId {answer?.RequestId ?? "?"}.");
    }

    public void Dispose() => _http.Dispose();

    private static async Task<SendSmsAnswer?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<SendSmsAnswer>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SendSmsAnswer(
        [property: JsonPropertyName("Code")] string? Code,
        [property: JsonPropertyName("Message")] string? Message,
        [property: JsonPropertyName("RequestId")] string? RequestId,
        [property: JsonPropertyName("BizId")] string? BizId);
}
