using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>
/// Resumes due timer and retry bookmarks. The due times live in the database, so nothing is lost on restart. Stands
/// down when <see cref="WorkflowEngineOptions.PollDueBookmarks"/> is off (the Quartz timers sweep instead).
/// </summary>
public sealed class DueBookmarkPoller(WorkflowRuntime runtime, TimeProvider clock, IOptions<WorkflowEngineOptions> options, ILogger<DueBookmarkPoller> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PollDueBookmarks) return;
        using var timer = new PeriodicTimer(options.Value.DueBookmarkPollInterval, clock);
        do
        {
            try
            {
                while (await runtime.TriggerDueBookmarksAsync(cancellationToken: stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Resuming due bookmarks failed; trying again at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
