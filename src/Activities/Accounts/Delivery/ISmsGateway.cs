using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// One templated SMS. <see cref="OutId"/> is the idempotency key the carrier echoes back in its delivery receipts,
/// so a message sent again after a crash can be recognised. <see cref="TemplateCode"/>: another approved template than the
/// configured one (the credentials'), e.g. the notifications'.
/// </summary>
public sealed record SmsRequest(string PhoneNumber, JsonObject TemplateParameters, string OutId, string? TemplateCode = null);

/// <summary>Sends SMS through a carrier's HTTP API; a refusal or an error throws.</summary>
public interface ISmsGateway
{
    Task SendAsync(SmsRequest request, CancellationToken cancellationToken);
}

/// <summary>The carrier refused the message (its code and message, never the parameters).</summary>
public sealed class SmsGatewayException(string message) : Exception(message);
