using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Outbox;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// Sends <see cref="CredentialDelivery.SmsType"/> messages: the zip password, re-derived here from the issuance, so
/// that it is never stored. The carrier's OutId is derived from the message key.
/// </summary>
public sealed class CredentialSmsHandler(ISmsGateway gateway, AccountSecrets secrets, IOptions<SmsOptions> options) : IOutboxHandler
{
    public string MessageType => CredentialDelivery.SmsType;

    public bool IsConfigured => options.Value.IsConfigured;

    public Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.Payload.AsObject();
        var code = CredentialGenerator.ZipPassword(secrets.IssuanceSecret(CredentialEmailHandler.Required(payload, "issuance")));
        var request = new SmsRequest(CredentialEmailHandler.Required(payload, "phone"), new JsonObject { [options.Value.CodeParameter] = code }, OutId(message.Key));
        return gateway.SendAsync(request, cancellationToken);
    }

    /// <summary>A digest of the message key: the same for every attempt of one message.</summary>
    public static string OutId(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
}
