using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Outbox;

/// <summary>Runs the <see cref="OutboxDispatcher"/> on every tick of <see cref="OutboxOptions.PollInterval"/>.</summary>
public sealed class OutboxDispatcherService(OutboxDispatcher dispatcher, TimeProvider clock, IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var types = dispatcher.DeliveredTypes;
        logger.LogInformation("Outbox dispatcher delivers {Types}", types.Count == 0 ? "nothing (no handler is configured)" : string.Join(", ", types));
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                while (await dispatcher.DispatchDueAsync(stoppingToken) == options.Value.BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Dispatching the outbox failed; trying again at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
