using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Outbox;

/// <summary>
/// Delivers one type of outbox message to another system (mail, SMS, an upstream API). The dispatcher marks a message
/// sent only after <see cref="HandleAsync"/> returned, so a crash in between delivers it again: a handler passes
/// <see cref="OutboxMessage.Key"/> on as the idempotency key (a Message-ID, a request id) so that the receiving side
/// can recognise the repeat. Throwing means "not delivered": the message is retried with back-off.
/// </summary>
public interface IOutboxHandler
{
    /// <summary>The <see cref="Persistence.OutboxRecord.Type"/> this handler delivers; one handler per type.</summary>
    string MessageType { get; }

    /// <summary>False while the handler's settings are missing: its messages then wait in the outbox instead of failing.</summary>
    bool IsConfigured => true;

    Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The payload to keep once the message is sent, e.g. without an attachment that only the recipient needs; the
    /// default keeps it unchanged.
    /// </summary>
    JsonNode RedactSent(JsonNode payload) => payload;
}

/// <summary>What a handler receives: the stored message and which delivery attempt this is (1 for the first).</summary>
public sealed record OutboxMessage(Guid Id, string Type, string Key, JsonNode Payload, int Attempt, Guid? InstanceId, DateTimeOffset CreatedAt);

/// <summary>
/// Told of each delivery after its handler returned and before it is recorded as sent (metrics, say). An exception
/// thrown here leaves the message unrecorded, exactly as a crash at that point would: tests use it to show that such a
/// message goes out again under the same key.
/// </summary>
public interface IOutboxDeliveryObserver
{
    Task DeliveredAsync(OutboxMessage message, CancellationToken cancellationToken);
}
