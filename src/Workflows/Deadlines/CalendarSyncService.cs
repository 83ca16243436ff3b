using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>
/// At start-up and every few minutes: loads notices other nodes stored, then recomputes the deadlines that a notice
/// (uploaded, stored, or dropped in the notices folder before a restart) made stale.
/// </summary>
public sealed class CalendarSyncService(HolidayNoticeService notices, DeadlineRecalculator recalculator, TimeProvider clock,
    ILogger<CalendarSyncService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await notices.SyncAsync(stoppingToken);
                var changes = await recalculator.RecomputeStaleAsync(stoppingToken);
                if (changes.Count > 0) logger.LogInformation("Recomputed {Count} pending deadlines after a holiday notice", changes.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Syncing holiday notices failed; trying again later");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
