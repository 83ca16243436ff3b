namespace PdsWorkflow.Workflows.Runtime;

/// <summary>
/// Arranges for due bookmarks (timers, retries, SLA deadlines) to be resumed at their time. Called after the burst
/// that created them has committed; a crash in between loses nothing, because <see cref="WorkflowRuntime.TriggerDueBookmarksAsync"/>
/// sweeps every open due bookmark from the database, and a bookmark resumed twice is resumed once (the second is a conflict).
/// </summary>
public interface IBookmarkScheduler
{
    Task ScheduleAsync(IReadOnlyList<BookmarkInfo> bookmarks, CancellationToken cancellationToken);
}

/// <summary>Leaves due bookmarks to the periodic sweep alone.</summary>
public sealed class SweepOnlyBookmarkScheduler : IBookmarkScheduler
{
    public Task ScheduleAsync(IReadOnlyList<BookmarkInfo> bookmarks, CancellationToken cancellationToken) => Task.CompletedTask;
}
