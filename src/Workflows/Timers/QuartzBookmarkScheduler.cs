using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Runtime;
using Quartz;

namespace PdsWorkflow.Workflows.Timers;

/// <summary>
/// Stores a one-shot Quartz trigger per due bookmark in the persistent job store, after the burst that created the
/// bookmark has committed. Any node of the cluster may fire it; the bookmark is resumed once whoever fires it.
/// </summary>
public sealed class QuartzBookmarkScheduler(ISchedulerFactory schedulers, TimeProvider clock, ILogger<QuartzBookmarkScheduler> logger)
    : IBookmarkScheduler
{
    public async Task ScheduleAsync(IReadOnlyList<BookmarkInfo> bookmarks, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var bookmark in bookmarks)
        {
            if (bookmark.DueAt is not { } dueAt) continue;
            // Keep: a trigger already pending under this bookmark's key stays as it is, so scheduling twice is harmless.
            var (fireAt, outcome) = await scheduler.ScheduleTrigger(ResumeBookmarkJob.TriggerFor(bookmark.Id, dueAt, clock), TriggerConflict.Keep, cancellationToken);
            logger.LogDebug("Timer for bookmark {BookmarkId} of instance {InstanceId}: {Outcome}, fires at {FireAt:O}",
                bookmark.Id, bookmark.InstanceId, outcome, fireAt);
        }
    }
}
