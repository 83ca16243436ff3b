using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Outbox;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>Sends <see cref="CredentialDelivery.EmailType"/> messages; once sent, the attachment leaves the outbox (its SHA-256 stays).</summary>
public sealed class CredentialEmailHandler(ISmtpSender smtp, IOptions<DeliveryOptions> options) : IOutboxHandler
{
    public string MessageType => CredentialDelivery.EmailType;

    public bool IsConfigured => options.Value.IsConfigured;

    public Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.Payload.AsObject();
        var attachment = new MailAttachment(Required(payload, "attachmentName"), "application/zip", Convert.FromBase64String(Required(payload, "attachment")));
        var mail = new MailEnvelope(Required(payload, "to"), (string?)payload["toName"], Required(payload, "subject"), Required(payload, "body"),
            MessageId(message.Key, options.Value.MessageIdDomain), [attachment]);
        return smtp.SendAsync(mail, cancellationToken);
    }

    public JsonNode RedactSent(JsonNode payload)
    {
        var kept = payload.DeepClone().AsObject();
        kept.Remove("attachment");
        return kept;
    }

    /// <summary><c>&lt;digest of the key@domain&gt;</c>: the same for every attempt of one message.</summary>
    public static string MessageId(string key, string domain) =>
        $"<{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40]}@{domain}>";

    internal static string Required(JsonObject payload, string name) =>
        (string?)payload[name] ?? throw new InvalidOperationException($"The outbox message has no '{name}'.");
}
