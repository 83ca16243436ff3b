using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Host.Auth;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The province's decision on a forwarded request (P7), brought back either by the portal's callback, authenticated by
/// the shared HMAC signature instead of a session (so without CSRF token), or recorded by bureau staff. Both resume the
/// waiting case once; a second decision for the same correlation id is a 409 with no effect.
/// </summary>
public static class ProvincialEndpoints
{
    private const int MaxCallbackBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapProvincialEndpoints(this IEndpointRouteBuilder app)
    {
        var provincial = app.MapGroup("/api/provincial").WithTags("Provincial");
        provincial.MapPost("/decisions", ReceiveCallbackAsync).AllowAnonymous().DisableAntiforgery();
        provincial.MapPost("/requests/{correlationId}/decision", async (string correlationId, JsonObject decision, ClaimsPrincipal user,
                ProvincialDecisions decisions, CancellationToken ct) =>
            Problems.Ok(await decisions.RecordAsync(correlationId, decision, user.UserId(), ct)))
            .RequireAuthorization(p => p.RequireRole(Roles.DataResourcesSection, Roles.PlatformAdmin));
        return app;
    }

    private static async Task<IResult> ReceiveCallbackAsync(HttpRequest request, ProvincialDecisions decisions, IOptions<ProvincialOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.AcceptsCallbacks)
            return Denied("provincial_callback_disabled", "本平台未配置与省级平台的共享密钥（Provincial:SharedSecret），不接收省级回调。");
        if (request.ContentLength > MaxCallbackBytes) return Problems.Field("body", "body_too_large", "回调内容过大。");

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxCallbackBytes) return Problems.Field("body", "body_too_large", "回调内容过大。");
        var body = buffer.ToArray();
        if (!ProvincialSignature.Verify(settings.SharedSecret!, request.Headers[ProvincialSignature.TimestampHeader], request.Headers[ProvincialSignature.SignatureHeader],
                body, clock.GetUtcNow(), settings.SignatureTolerance))
            return Denied("provincial_signature_invalid", "省级回调的签名无效或已过期。");

        JsonObject? decision;
        try
        {
            decision = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            decision = null;
        }

        if (decision is null) return Problems.Field("body", "body_not_json", "回调内容不是 JSON 对象。");
        if (decision["correlationId"] is not JsonValue id || !id.TryGetValue<string>(out var correlationId) || string.IsNullOrWhiteSpace(correlationId))
            return Problems.Field("correlationId", "correlation_id_required", "回调缺少关联号（correlationId）。");
        return Problems.Ok(await decisions.RecordAsync(correlationId, decision, ProvincialDecisions.PortalActor, ct));
    }

    private static IResult Denied(string code, string detail) => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "回调未通过验证",
        detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
