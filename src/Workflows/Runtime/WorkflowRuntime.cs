using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>
/// Starts, resumes and cancels instances. Each call is one burst committed in one transaction: instance state,
/// bookmarks, journal entries, incidents and outbox messages together, or nothing.
/// </summary>
public sealed class WorkflowRuntime(WorkflowEngine engine, WorkflowStore store, IBookmarkScheduler scheduler, TimeProvider clock,
    Tasks.ICaseSummary summary, ILogger<WorkflowRuntime> logger)
{
    public const string TimerActor = "system:timer";

    /// <summary>Starts an instance; a case whose process has no applicant step is submitted by starting it and gets its 业务编号.</summary>
    public Task<WorkflowResult<RunResult>> StartAsync(StartWorkflowRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(async (db, ct) =>
        {
            var started = await engine.StartAsync(db, request, null, request.Initiator, ct);
            if (!started.IsSuccess) return started;
            Tasks.CaseSummaries.OnStarted(summary, started.Value);
            await Tasks.BusinessNumbers.AssignOnStartAsync(started.Value, ct);
            return started;
        }, cancellationToken);

    /// <summary>Resumes one bookmark. A bookmark already resumed or cancelled is a conflict, never a second resume.</summary>
    public Task<WorkflowResult<RunResult>> ResumeAsync(Guid bookmarkId, JsonNode? payload, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync((db, ct) => engine.ResumeAsync(db, bookmarkId, payload, actor, ct), cancellationToken);

    public Task<WorkflowResult<RunResult>> CancelAsync(Guid instanceId, string? actor, string? reason, CancellationToken cancellationToken = default) =>
        RunAsync((db, ct) => engine.CancelAsync(db, instanceId, actor, reason, ct), cancellationToken);

    /// <summary>An operator retries the activity of an open incident; the instance continues from there.</summary>
    public Task<WorkflowResult<RunResult>> RetryIncidentAsync(Guid incidentId, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync((db, ct) => engine.RetryIncidentAsync(db, incidentId, actor, ct), cancellationToken);

    /// <summary>Resumes every open bookmark waiting for the event (and key, when given), each in its own transaction.</summary>
    public async Task<IReadOnlyList<WorkflowResult<RunResult>>> PublishEventAsync(string eventName, string? correlationKey, JsonNode? payload,
        string? actor, CancellationToken cancellationToken = default)
    {
        var name = BookmarkNames.Event(eventName);
        List<Guid> ids;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            ids = await db.Bookmarks.Where(b => b.Name == name && b.Status == BookmarkStatus.Open && (correlationKey == null || b.CorrelationKey == correlationKey))
                .OrderBy(b => b.CreatedAt).Select(b => b.Id).ToListAsync(cancellationToken);
        }

        var results = new List<WorkflowResult<RunResult>>();
        foreach (var id in ids) results.Add(await ResumeAsync(id, payload, actor, cancellationToken));
        return results;
    }

    /// <summary>
    /// Resumes timer and retry bookmarks whose time has come (at least <paramref name="dueFor"/> ago); returns how many
    /// were resumed here.
    /// </summary>
    public async Task<int> TriggerDueBookmarksAsync(int batchSize = 100, TimeSpan dueFor = default, CancellationToken cancellationToken = default)
    {
        var now = (clock.GetUtcNow() - dueFor).UtcDateTime;
        List<Guid> due;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            due = await db.Bookmarks.Where(b => b.Status == BookmarkStatus.Open && b.DueAt != null && b.DueAt <= now)
                .OrderBy(b => b.DueAt).Select(b => b.Id).Take(batchSize).ToListAsync(cancellationToken);
        }

        var resumed = 0;
        foreach (var id in due)
        {
            if ((await ResumeAsync(id, null, TimerActor, cancellationToken)).IsSuccess) resumed++;
        }

        return resumed;
    }

    private Task<WorkflowResult<RunResult>> RunAsync(
        Func<WorkflowDbContext, CancellationToken, Task<WorkflowResult<WorkflowExecution>>> burst, CancellationToken cancellationToken) =>
        InTransactionAsync<RunResult>(async (db, ct) =>
        {
            var result = await burst(db, ct);
            if (!result.IsSuccess) return result.Error!;
            var execution = result.Value;
            return new RunResult(execution.Instance.Id, execution.Instance.Status,
                execution.OpenBookmarks.Select(WorkflowExecution.ToInfo).ToList(), execution.Instance.FaultMessage, execution.State.Result?.DeepClone());
        }, cancellationToken);

    /// <summary>
    /// One unit of work that may run bursts (a task command that decides a step, say): committed as a whole, then the
    /// due bookmarks it created are handed to the scheduler.
    /// </summary>
    internal async Task<WorkflowResult<T>> InTransactionAsync<T>(
        Func<WorkflowDbContext, CancellationToken, Task<WorkflowResult<T>>> work, CancellationToken cancellationToken)
    {
        List<BookmarkInfo> due = [];
        Telemetry.WorkflowTelemetry.Committed? committed = null;
        var outcome = await store.InTransactionAsync<T>(async (db, ct) =>
        {
            var result = await work(db, ct);
            due = db.ChangeTracker.Entries<BookmarkRecord>()
                .Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added && e.Entity.DueAt != null)
                .Select(e => WorkflowExecution.ToInfo(e.Entity)).ToList();
            committed = result.IsSuccess ? Telemetry.WorkflowTelemetry.Collect(db) : null;
            return result;
        }, cancellationToken);
        if (outcome.IsSuccess) committed?.Record();
        if (outcome.IsSuccess && due.Count > 0) await ScheduleAsync(due, cancellationToken);
        return outcome;
    }

    /// <summary>The burst has committed: a scheduling failure must not turn it into an error, the sweep will catch up.</summary>
    private async Task ScheduleAsync(List<BookmarkInfo> due, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.ScheduleAsync(due, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Scheduling {Count} due bookmarks failed; the due-bookmark sweep will resume them", due.Count);
        }
    }
}
