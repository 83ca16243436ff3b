using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Outbox;

/// <summary>
/// Delivers due outbox messages through their type's <see cref="IOutboxHandler"/>, one at a time: claim, hand over, then
/// record the result. Effectively once, not exactly once: a message is marked sent only after its handler returned, so
/// a crash between the two delivers it again with the same <see cref="OutboxMessage.Key"/>, which the handlers pass on
/// for the receiving side to de-duplicate. Failures are retried with doubling back-off; after
/// <see cref="OutboxOptions.MaxAttempts"/> the message is a dead letter until an operator retries it
/// (<see cref="OutboxAdmin"/>).
/// </summary>
/// <remarks>
/// The message is claimed by the database's dialect (<see cref="DatabaseDialect.ClaimOutboxMessageAsync"/>): on
/// PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, held until its result is committed, so several nodes share the work and
/// never hand the same message over at the same time; on SQLite, which admits one writer, without a transaction held
/// while a handler talks to another system (it would stop every workflow for that long), one node dispatching.
/// </remarks>
public sealed class OutboxDispatcher
{
    private const int MaxErrorLength = 2000;

    private readonly WorkflowStore _store;
    private readonly IReadOnlyDictionary<string, IOutboxHandler> _handlers;
    private readonly TimeProvider _clock;
    private readonly IOptions<OutboxOptions> _options;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly IReadOnlyList<IOutboxDeliveryObserver> _observers;

    public OutboxDispatcher(WorkflowStore store, IEnumerable<IOutboxHandler> handlers, TimeProvider clock, IOptions<OutboxOptions> options,
        ILogger<OutboxDispatcher> logger, IEnumerable<IOutboxDeliveryObserver> observers)
    {
        _observers = observers.ToList();
        _store = store;
        _clock = clock;
        _options = options;
        _logger = logger;
        var byType = new Dictionary<string, IOutboxHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!byType.TryAdd(handler.MessageType, handler))
                throw new InvalidOperationException($"Two outbox handlers deliver '{handler.MessageType}': {byType[handler.MessageType].GetType()} and {handler.GetType()}.");
        }

        _handlers = byType;
    }

    /// <summary>The message types some configured handler delivers; messages of other types wait.</summary>
    public IReadOnlyList<string> DeliveredTypes => _handlers.Values.Where(h => h.IsConfigured).Select(h => h.MessageType).Order(StringComparer.Ordinal).ToList();

    /// <summary>Delivers due messages until none is left or a batch is done; returns how many were handed over.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var types = DeliveredTypes.ToArray();
        if (types.Length == 0) return 0;
        var count = 0;
        while (count < _options.Value.BatchSize && await DispatchOneAsync(types, cancellationToken)) count++;
        return count;
    }

    private async Task<bool> DispatchOneAsync(string[] types, CancellationToken cancellationToken)
    {
        await using var db = await _store.CreateContextAsync(cancellationToken);
        var now = _clock.GetUtcNow().UtcDateTime;
        var record = await _store.Dialect.ClaimOutboxMessageAsync(db, now, types, cancellationToken);
        if (record is null) return false;
        await DeliverAsync(record, cancellationToken);
        await db.SaveChangesAsync(CancellationToken.None);
        if (db.Database.CurrentTransaction is { } claim) await claim.CommitAsync(CancellationToken.None);
        return true;
    }

    /// <summary>Hands the message over and records the result on the (tracked) record; the caller commits it.</summary>
    private async Task DeliverAsync(OutboxRecord record, CancellationToken cancellationToken)
    {
        using var span = Telemetry.WorkflowTelemetry.StartDelivery(record);
        var handler = _handlers[record.Type];
        var payload = JsonNode.Parse(record.PayloadJson) ?? new JsonObject();
        var message = new OutboxMessage(record.Id, record.Type, record.Key, payload.DeepClone(), record.Attempts + 1, record.InstanceId,
            new DateTimeOffset(record.CreatedAt, TimeSpan.Zero));
        Exception? failure = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.Value.HandlerTimeout);
            try
            {
                await handler.HandleAsync(message, timeout.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: nothing is recorded, the message stays due and goes out again under the same key.
                throw;
            }
            catch (Exception ex)
            {
                failure = ex is OperationCanceledException
                    ? new TimeoutException($"The handler did not finish within {_options.Value.HandlerTimeout}.", ex)
                    : ex;
            }
        }

        // Outside the handler's try: an observer's exception is not a failed delivery but a failure to record it.
        if (failure is null)
            foreach (var observer in _observers) await observer.DeliveredAsync(message, cancellationToken);

        var now = _clock.GetUtcNow().UtcDateTime;
        record.Attempts++;
        if (failure is null)
        {
            record.SentAt = now;
            record.LastError = null;
            record.PayloadJson = handler.RedactSent(payload).ToJsonString(JsonDefaults.Stored);
            _logger.LogInformation("Outbox message {MessageId} ({Type}, key {Key}) delivered on attempt {Attempt}", record.Id, record.Type, record.Key, record.Attempts);
            Telemetry.WorkflowTelemetry.Delivered(span, record, "sent", now);
            return;
        }

        record.LastError = Describe(failure);
        if (record.Attempts >= _options.Value.MaxAttempts)
        {
            record.DeadAt = now;
            _logger.LogError("Outbox message {MessageId} ({Type}, key {Key}) is a dead letter after {Attempts} attempts: {Error}",
                record.Id, record.Type, record.Key, record.Attempts, record.LastError);
            Telemetry.WorkflowTelemetry.Delivered(span, record, "dead", now);
            return;
        }

        record.NextAttemptAt = now + _options.Value.RetryDelayAfter(record.Attempts);
        _logger.LogWarning("Outbox message {MessageId} ({Type}, key {Key}) failed on attempt {Attempt}, next at {NextAttemptAt:O}: {Error}",
            record.Id, record.Type, record.Key, record.Attempts, record.NextAttemptAt, record.LastError);
        Telemetry.WorkflowTelemetry.Delivered(span, record, "retry", now);
    }

    /// <summary>The error kept on the message: type and message of each exception, never the payload.</summary>
    private static string Describe(Exception error)
    {
        var text = string.Join(" ← ", Chain(error).Select(e => $"{e.GetType().Name}: {e.Message}"));
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException) yield return e;
    }
}
