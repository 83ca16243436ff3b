using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Runtime;
using Quartz;

namespace PdsWorkflow.Workflows.Timers;

/// <summary>
/// Resumes one due bookmark, named by the firing trigger's job data. The bookmark may have been resumed or cancelled
/// since it was scheduled (by a person, by the sweep, by another node): the engine answers with a conflict, which is
/// the expected outcome of a race the engine already decides, not an error.
/// </summary>
public sealed class ResumeBookmarkJob(WorkflowRuntime runtime, ILogger<ResumeBookmarkJob> logger) : IJob
{
    public static readonly JobKey Key = new("resume-bookmark", TimerKeys.Group);

    internal const string BookmarkIdKey = "bookmarkId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var text = context.MergedJobDataMap.TryGetString(BookmarkIdKey, out var value) ? value : null;
        if (!Guid.TryParse(text, out var bookmarkId))
        {
            logger.LogError("Trigger {Trigger} carries no bookmark id ('{Value}'); nothing was resumed", context.Trigger.Key, text);
            return;
        }

        WorkflowResult<RunResult> result;
        try
        {
            result = await runtime.ResumeAsync(bookmarkId, null, WorkflowRuntime.TimerActor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not rethrown: the bookmark stays open and due, and the sweep job resumes it at its next run. A rethrow
            // would only add Quartz's own report of the same failure; the one-shot trigger is done either way.
            logger.LogError(ex, "Resuming due bookmark {BookmarkId} failed; the due-bookmark sweep will try again", bookmarkId);
            return;
        }

        if (result.IsSuccess)
            logger.LogDebug("Resumed due bookmark {BookmarkId}; instance {InstanceId} is {Status}", bookmarkId, result.Value.InstanceId, result.Value.Status);
        else if (result.Error!.Kind is WorkflowErrorKind.Conflict or WorkflowErrorKind.NotFound)
            logger.LogDebug("Due bookmark {BookmarkId} was not resumed: {Code}", bookmarkId, result.Error.Code);
        else
            logger.LogWarning("Due bookmark {BookmarkId} was refused: {Code} {Detail}", bookmarkId, result.Error.Code, result.Error.Detail);
    }

    /// <summary>The one-shot trigger for a bookmark; its key is derived from the bookmark id, so scheduling it twice stores it once.</summary>
    internal static ITrigger TriggerFor(Guid bookmarkId, DateTimeOffset dueAt, TimeProvider clock) =>
        TriggerBuilder.Create(clock)
            .WithIdentity(TriggerKeyFor(bookmarkId))
            .ForJob(Key)
            .UsingJobData(BookmarkIdKey, bookmarkId.ToString("D"))
            .StartAt(dueAt)
            // A due time that has passed (a node was down, the trigger is stored late) fires at once.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

    public static TriggerKey TriggerKeyFor(Guid bookmarkId) => new($"bookmark-{bookmarkId:N}", TimerKeys.Group);
}
