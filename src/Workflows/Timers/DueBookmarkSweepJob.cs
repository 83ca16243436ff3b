using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Runtime;
using Quartz;

namespace PdsWorkflow.Workflows.Timers;

/// <summary>
/// Resumes every open bookmark that has been due for longer than <see cref="TimerOptions.SweepGrace"/>: one created
/// before Quartz was enabled, or whose trigger was never stored because the process stopped between the burst's commit
/// and the scheduling. Disallowing concurrent execution holds across the cluster, so one node sweeps at a time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DueBookmarkSweepJob(WorkflowRuntime runtime, IOptions<TimerOptions> options, ILogger<DueBookmarkSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep-due-bookmarks", TimerKeys.Group);
    public static readonly TriggerKey TriggerKey = new("sweep-due-bookmarks", TimerKeys.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var total = 0;
        try
        {
            int resumed;
            while ((resumed = await runtime.TriggerDueBookmarksAsync(dueFor: options.Value.SweepGrace, cancellationToken: cancellationToken)) > 0) total += resumed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Sweeping due bookmarks failed after resuming {Count}; trying again at the next sweep", total);
            return;
        }

        if (total > 0) logger.LogInformation("The due-bookmark sweep resumed {Count} bookmarks that had no timer", total);
    }
}
