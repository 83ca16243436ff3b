using System.Text.Json.Nodes;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>A transfer package (代理转交) for the provincial portal, known by its correlation id.</summary>
public sealed record ProvincialSubmission(string CorrelationId, JsonObject Package);

/// <summary>
/// Hands transfer packages to the Henan provincial sharing portal (河南省政务数据共享门户). Called from the outbox, so a
/// package may come again after a crash: the correlation id is the idempotency key the portal de-duplicates by. A refusal
/// or an error throws, and the outbox retries.
/// </summary>
public interface IProvincialPortal
{
    Task SubmitAsync(ProvincialSubmission submission, CancellationToken cancellationToken);
}

/// <summary>The portal refused a package (its HTTP status and answer, never the package).</summary>
public sealed class ProvincialPortalException(string message) : Exception(message);
