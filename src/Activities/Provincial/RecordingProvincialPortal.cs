using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// Stands in for the portal where none can be reached (<see cref="ProvincialPortalKind.Recording"/>: a demo, a test
/// site): keeps each package, once per correlation id, and logs that it arrived. The decision is then recorded by bureau
/// staff (<c>POST /api/provincial/requests/{correlationId}/decision</c>).
/// </summary>
public sealed class RecordingProvincialPortal(ILogger<RecordingProvincialPortal> logger) : IProvincialPortal
{
    private readonly ConcurrentDictionary<string, ProvincialSubmission> _received = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ProvincialSubmission> Received => _received.Values.ToList();

    public Task SubmitAsync(ProvincialSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (_received.TryAdd(submission.CorrelationId, submission))
            logger.LogInformation("Provincial package {CorrelationId} recorded (no portal is connected)", submission.CorrelationId);
        return Task.CompletedTask;
    }
}
