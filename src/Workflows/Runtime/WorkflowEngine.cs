using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Expressions;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>Hears about bookmarks the engine cancels (a branch cancelled by a join, an instance ended or cancelled).</summary>
public interface IBookmarkObserver
{
    Task OnBookmarkCancelledAsync(WorkflowDbContext db, BookmarkInfo bookmark, CancellationToken cancellationToken);
}

/// <summary>
/// The operations of the runtime inside a caller's unit of work; <see cref="WorkflowRuntime"/> wraps each in a
/// transaction. Keeping them transaction-agnostic lets a child instance's completion resume its parent atomically.
/// </summary>
public sealed class WorkflowEngine(
    ActivityRegistry registry,
    IExpressionEvaluator evaluator,
    TimeProvider clock,
    IServiceProvider services,
    IOptions<WorkflowEngineOptions> options,
    WorkflowStore store,
    IEnumerable<IBookmarkObserver> observers,
    ILogger<WorkflowEngine> logger)
{
    private readonly ConcurrentDictionary<Guid, FlowGraph> _graphs = new();

    internal ActivityRegistry Registry => registry;
    internal IExpressionEvaluator Evaluator => evaluator;
    internal TimeProvider Clock => clock;
    internal IServiceProvider Services => services;
    internal WorkflowEngineOptions Options => options.Value;
    internal ILogger Logger => logger;

    /// <summary>The hash algorithm new journals begin with (<c>Integrity:HashAlgorithm</c>).</summary>
    private string JournalAlgorithm => _journalAlgorithm ??=
        services.GetService<IOptions<Integrity.IntegrityOptions>>()?.Value.HashAlgorithm ?? Integrity.HashAlgorithms.Sm3;

    private string? _journalAlgorithm;

    /// <summary>Set on an engine built for one verification replay: activity types that are not re-executed take their recorded results.</summary>
    internal Journal.ReplaySession? Replay { get; init; }

    internal async Task<WorkflowResult<WorkflowExecution>> StartAsync(WorkflowDbContext db, StartWorkflowRequest request, Guid? parentInstanceId,
        string? actor, CancellationToken cancellationToken)
    {
        using var span = Telemetry.WorkflowTelemetry.StartWorkflow("workflow.start", request.DefinitionId);
        var query = db.Definitions.Where(d => d.DefinitionId == request.DefinitionId);
        // Which version starts is read every time (publishing moves it); its JSON only when its graph is not cached yet.
        var definition = request.Version is { } version
            ? await _publishedVersion(db, request.DefinitionId, version, cancellationToken)
            : await _latestPublished(db, request.DefinitionId, cancellationToken);
        if (definition is null)
        {
            if (request.Version is { } v) return WorkflowErrors.VersionNotFound(request.DefinitionId, v);
            return await query.AnyAsync(cancellationToken)
                ? WorkflowErrors.NoPublishedVersion(request.DefinitionId)
                : WorkflowErrors.DefinitionNotFound(request.DefinitionId);
        }

        var graph = await GetGraphAsync(db, definition.Id, cancellationToken);
        if (graph.Start is not { } start) return WorkflowErrors.NoPublishedVersion(request.DefinitionId);

        var now = clock.GetUtcNow().UtcDateTime;
        var input = request.Input?.DeepClone().AsObject() ?? [];
        var state = new WorkflowState { Input = input };
        foreach (var variable in graph.Definition.Variables)
            state.Variables[variable.Name] = input.TryGetPropertyValue(variable.Name, out var given) ? given?.DeepClone() : variable.Value?.DeepClone();

        var instance = new InstanceRecord
        {
            Id = Guid.NewGuid(),
            DefinitionId = definition.DefinitionId,
            DefinitionVersionId = definition.Id,
            DefinitionVersion = definition.Version,
            Status = WorkflowStatus.Running,
            CorrelationId = request.CorrelationId,
            Initiator = request.Initiator,
            ParentInstanceId = parentInstanceId,
            StateJson = state.Serialize(),
            CreatedAt = now,
            UpdatedAt = now,
            JournalAlgorithm = JournalAlgorithm,
        };
        db.Instances.Add(instance);
        var execution = new WorkflowExecution(this, db, instance, graph, [], actor ?? request.Initiator);
        execution.Append(JournalEvents.WorkflowStarted, inputs: input.DeepClone(),
            message: $"{definition.DefinitionId} v{definition.Version}" + (request.CorrelationId is null ? "" : $"，关联号 {request.CorrelationId}"));
        Deadlines.CaseClock.Start(execution);
        execution.Schedule(start.Id, null);
        await execution.RunAsync(cancellationToken);
        await AfterBurstAsync(execution, cancellationToken);
        return execution;
    }

    /// <summary>
    /// Runs one command on one instance (a task command, a withdrawal, a reminder): the engine locks and loads the instance
    /// once, the command acts on that execution (and resumes or returns it on the same execution:
    /// <see cref="ResumeAsync(WorkflowExecution, Guid, JsonNode?, CancellationToken)"/>, <see cref="ReturnAsync"/>), and the
    /// execution's state is saved when the command succeeds. Nothing loads the instance a second time for the command.
    /// </summary>
    internal async Task<WorkflowResult<T>> ExecuteAsync<T>(WorkflowDbContext db, Guid instanceId, string? actor,
        Func<WorkflowExecution, CancellationToken, Task<WorkflowResult<T>>> command, CancellationToken cancellationToken)
    {
        var loaded = await LockAndLoadAsync(db, instanceId, actor, cancellationToken);
        if (!loaded.IsSuccess) return loaded.Error!;
        var result = await command(loaded.Value, cancellationToken);
        if (result.IsSuccess) loaded.Value.Save();
        return result;
    }

    internal async Task<WorkflowResult<WorkflowExecution>> ResumeAsync(WorkflowDbContext db, Guid bookmarkId, JsonNode? payload, string? actor,
        CancellationToken cancellationToken)
    {
        // A bookmark this unit of work read from the database names its instance already; one it added and has not saved
        // yet is not in the database, and is looked up there like any other.
        var tracked = db.Bookmarks.Local.FindEntry(bookmarkId);
        var instanceId = tracked is { State: EntityState.Unchanged or EntityState.Modified }
            ? tracked.Entity.InstanceId
            : await _bookmarkInstance(db, bookmarkId, cancellationToken);
        if (instanceId is null) return WorkflowErrors.BookmarkNotFound(bookmarkId);

        var loaded = await LockAndLoadAsync(db, instanceId.Value, actor, cancellationToken);
        return loaded.IsSuccess ? await ResumeAsync(loaded.Value, bookmarkId, payload, cancellationToken) : loaded.Error!;
    }

    /// <summary>Resumes an open bookmark of an execution already loaded (the command's own) and runs the burst on it.</summary>
    internal async Task<WorkflowResult<WorkflowExecution>> ResumeAsync(WorkflowExecution execution, Guid bookmarkId, JsonNode? payload,
        CancellationToken cancellationToken)
    {
        using var span = Telemetry.WorkflowTelemetry.StartWorkflow("workflow.resume", execution.Instance.DefinitionId);
        var bookmark = execution.OpenBookmarks.FirstOrDefault(b => b.Id == bookmarkId);
        if (bookmark is null)
        {
            var closed = await execution.Db.Bookmarks.AsNoTracking().FirstAsync(b => b.Id == bookmarkId, cancellationToken);
            return WorkflowErrors.BookmarkClosed(bookmarkId, closed.Status, closed.ClosedBy, closed.ClosedAt);
        }

        if (execution.Instance.Status != WorkflowStatus.Suspended)
            return WorkflowErrors.InstanceNotRunning(execution.Instance.Id, execution.Instance.Status);

        execution.Resume(bookmark, payload);
        await execution.RunAsync(cancellationToken);
        await AfterBurstAsync(execution, cancellationToken);
        return execution;
    }

    internal async Task<WorkflowResult<WorkflowExecution>> CancelAsync(WorkflowDbContext db, Guid instanceId, string? actor, string? reason,
        CancellationToken cancellationToken)
    {
        var loaded = await LockAndLoadAsync(db, instanceId, actor, cancellationToken);
        if (!loaded.IsSuccess) return loaded.Error!;
        var execution = loaded.Value;
        if (WorkflowStatus.IsTerminal(execution.Instance.Status))
            return WorkflowErrors.InstanceNotRunning(instanceId, execution.Instance.Status);
        await execution.CancelAsync(reason, cancellationToken);
        await AfterBurstAsync(execution, cancellationToken);
        return execution;
    }

    internal async Task<WorkflowResult<WorkflowExecution>> RetryIncidentAsync(WorkflowDbContext db, Guid incidentId, string? actor,
        CancellationToken cancellationToken)
    {
        var instanceId = await db.Incidents.Where(i => i.Id == incidentId).Select(i => (Guid?)i.InstanceId).FirstOrDefaultAsync(cancellationToken);
        if (instanceId is null) return WorkflowErrors.IncidentNotFound(incidentId);
        var loaded = await LockAndLoadAsync(db, instanceId.Value, actor, cancellationToken);
        if (!loaded.IsSuccess) return loaded.Error!;
        var execution = loaded.Value;
        var incident = await db.Incidents.FirstAsync(i => i.Id == incidentId, cancellationToken);
        if (incident.Status != IncidentStatus.Open) return WorkflowErrors.IncidentNotOpen(incidentId, incident.Status);
        if (execution.Instance.Status != WorkflowStatus.Faulted)
            return WorkflowErrors.InstanceNotRunning(execution.Instance.Id, execution.Instance.Status);

        incident.Status = IncidentStatus.Resolved;
        incident.ResolvedAt = execution.Now;
        incident.ResolvedBy = actor;
        execution.Instance.FaultMessage = null;
        execution.Append(JournalEvents.IncidentRetried, incident.ActivityId, incident.ActivityType, incident.ActivityExecutionId,
            message: $"运维人员重试（原第 {incident.Attempt} 次：{incident.Message}）");
        execution.Schedule(incident.ActivityId, null, incident.ActivityExecutionId, incident.Attempt + 1);
        execution.RestorePending();
        await execution.RunAsync(cancellationToken);
        await AfterBurstAsync(execution, cancellationToken);
        return execution;
    }

    /// <summary>Goes back to an earlier activity of a waiting instance and runs from there (see <see cref="WorkflowExecution.ReturnToAsync"/>).</summary>
    internal async Task<WorkflowResult<WorkflowExecution>> ReturnAsync(WorkflowExecution execution, string targetId, JsonNode payload, string reason,
        CancellationToken cancellationToken)
    {
        if (execution.Instance.Status != WorkflowStatus.Suspended)
            return WorkflowErrors.InstanceNotRunning(execution.Instance.Id, execution.Instance.Status);
        execution.Instance.Status = WorkflowStatus.Running;
        await execution.ReturnToAsync(targetId, payload, reason, cancellationToken);
        await execution.RunAsync(cancellationToken);
        await AfterBurstAsync(execution, cancellationToken);
        return execution;
    }

    internal async Task<WorkflowResult<WorkflowExecution>> CancelLoadedAsync(WorkflowExecution execution, string reason, CancellationToken cancellationToken)
    {
        if (WorkflowStatus.IsTerminal(execution.Instance.Status))
            return WorkflowErrors.InstanceNotRunning(execution.Instance.Id, execution.Instance.Status);
        await execution.CancelAsync(reason, cancellationToken);
        await AfterBurstAsync(execution, cancellationToken);
        return execution;
    }

    /// <summary>Starts a child instance in the parent's unit of work and runs its first burst.</summary>
    internal async Task<WorkflowResult<WorkflowExecution>> StartChildAsync(WorkflowExecution parent, StartWorkflowRequest request,
        CancellationToken cancellationToken) =>
        await StartAsync(parent.Db, request, parent.Instance.Id, parent.Actor, cancellationToken);

    internal async Task CancelChildrenAsync(WorkflowDbContext db, Guid parentId, Guid bookmarkId, string? actor, string? reason,
        CancellationToken cancellationToken)
    {
        var childIds = await db.Instances
            .Where(i => i.ParentInstanceId == parentId && i.ParentBookmarkId == bookmarkId)
            .Select(i => i.Id).ToListAsync(cancellationToken);
        foreach (var childId in childIds)
        {
            var loaded = await LockAndLoadAsync(db, childId, actor, cancellationToken);
            if (!loaded.IsSuccess || WorkflowStatus.IsTerminal(loaded.Value.Instance.Status)) continue;
            loaded.Value.Instance.ParentBookmarkId = null;
            await loaded.Value.CancelAsync(reason ?? "上级流程已取消该环节", cancellationToken);
        }
    }

    internal async Task NotifyBookmarkCancelledAsync(WorkflowDbContext db, BookmarkRecord bookmark, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
            await observer.OnBookmarkCancelledAsync(db, WorkflowExecution.ToInfo(bookmark), cancellationToken);
    }

    internal async Task<WorkflowResult<WorkflowExecution>> LockAndLoadAsync(WorkflowDbContext db, Guid instanceId, string? actor,
        CancellationToken cancellationToken)
    {
        InstanceRecord? instance;
        if (db.IsLocked(instanceId) && db.Instances.Local.FindEntry(instanceId) is { State: EntityState.Unchanged or EntityState.Modified } entry)
        {
            // Locked and loaded earlier in this transaction (a task command that then resumes the step it decided): the
            // row lock still holds, so nobody else changed the instance or its bookmarks, and the tracked rows are current.
            instance = entry.Entity;
        }
        else
        {
            instance = await store.LockAndReadInstanceAsync(db, instanceId, cancellationToken);
            if (instance is null) return WorkflowErrors.InstanceNotFound(instanceId);
            // The unit of work may already hold this instance's bookmarks, changed or added and not yet saved (a task
            // command that then decides the step, a child that resumes its parent): the tracked values win.
            await foreach (var _ in _openBookmarksOf(db, instanceId).WithCancellation(cancellationToken))
            {
            }

            db.MarkLocked(instanceId);
        }

        var graph = await GetGraphAsync(db, instance.DefinitionVersionId, cancellationToken);
        var open = db.Bookmarks.Local.Where(b => b.InstanceId == instanceId && b.Status == BookmarkStatus.Open).OrderBy(b => b.CreatedAt).ToList();
        return new WorkflowExecution(this, db, instance, graph, open, actor);
    }

    /// <summary>A child that ended resumes the parent waiting for it, in the same transaction.</summary>
    private async Task AfterBurstAsync(WorkflowExecution execution, CancellationToken cancellationToken)
    {
        var instance = execution.Instance;
        if (!WorkflowStatus.IsTerminal(instance.Status) || instance.ParentBookmarkId is not { } parentBookmark) return;
        var payload = new JsonObject
        {
            ["instanceId"] = instance.Id.ToString(),
            ["status"] = instance.Status,
            ["result"] = execution.State.Result?.DeepClone(),
        };
        var resumed = await ResumeAsync(execution.Db, parentBookmark, payload, execution.Actor, cancellationToken);
        if (!resumed.IsSuccess)
            logger.LogInformation("Child {ChildId} ended but its parent did not resume: {Error}", instance.Id, resumed.Error!.Detail);
    }

    /// <summary>Published versions never change, so their parsed graphs are cached by version row id and the row is read once.</summary>
    private async ValueTask<FlowGraph> GetGraphAsync(WorkflowDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        if (_graphs.TryGetValue(versionId, out var cached)) return cached;
        var json = await _definitionJson(db, versionId, cancellationToken) ?? throw new InvalidOperationException($"Definition version {versionId} does not exist.");
        return _graphs.GetOrAdd(versionId, _ => new FlowGraph(DefinitionSerializer.Deserialize(json)));
    }

    // The queries of every burst, compiled once: EF Core then skips building and looking up the query per call. A
    // compiled query serves one model only, so they belong to the engine (one database provider), not to the type.
    private readonly Func<WorkflowDbContext, Guid, IAsyncEnumerable<BookmarkRecord>> _openBookmarksOf =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id) => db.Bookmarks.Where(b => b.InstanceId == id && b.Status == BookmarkStatus.Open));

    private readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<Guid?>> _bookmarkInstance =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) =>
            db.Bookmarks.Where(b => b.Id == id).Select(b => (Guid?)b.InstanceId).FirstOrDefault());

    internal Func<WorkflowDbContext, string, CancellationToken, Task<bool>> OutboxKeyExists { get; } =
        EF.CompileAsyncQuery((WorkflowDbContext db, string key, CancellationToken _) => db.Outbox.Any(m => m.Key == key));

    private readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<string?>> _definitionJson =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) => db.Definitions.Where(d => d.Id == id).Select(d => d.Json).FirstOrDefault());

    private sealed record VersionRow(Guid Id, string DefinitionId, int Version);

    private readonly Func<WorkflowDbContext, string, CancellationToken, Task<VersionRow?>> _latestPublished =
        EF.CompileAsyncQuery((WorkflowDbContext db, string definitionId, CancellationToken _) =>
            db.Definitions.Where(d => d.DefinitionId == definitionId && d.IsPublished).Select(d => new VersionRow(d.Id, d.DefinitionId, d.Version)).FirstOrDefault());

    private readonly Func<WorkflowDbContext, string, int, CancellationToken, Task<VersionRow?>> _publishedVersion =
        EF.CompileAsyncQuery((WorkflowDbContext db, string definitionId, int version, CancellationToken _) =>
            db.Definitions.Where(d => d.DefinitionId == definitionId && d.Version == version && d.PublishedAt != null)
                .Select(d => new VersionRow(d.Id, d.DefinitionId, d.Version)).FirstOrDefault());
}
