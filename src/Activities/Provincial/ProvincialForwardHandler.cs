using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Outbox;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>Delivers <see cref="MessageType"/> messages (transfer packages written by <see cref="ForwardToProvince"/>) to the portal.</summary>
public sealed class ProvincialForwardHandler(IProvincialPortal portal, IOptions<ProvincialOptions> options) : IOutboxHandler
{
    public const string Type = "provincial.forward";

    public string MessageType => Type;

    public bool IsConfigured => options.Value.IsConfigured;

    public Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var package = message.Payload.AsObject();
        var correlationId = (string?)package[ProvincialPackage.CorrelationIdField]
            ?? throw new InvalidOperationException("The transfer package has no correlation id.");
        return portal.SubmitAsync(new ProvincialSubmission(correlationId, package), cancellationToken);
    }
}
