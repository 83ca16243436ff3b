using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>Set on an engine built for one verification replay: activity types that are not re-executed take their recorded results.</summary>
    internal Journal.ReplaySession? Replay { get; init; }

    internal async Task<WorkflowResult<WorkflowExecution>> StartAsync(WorkflowDbContext db, StartWorkflowRequest request, Guid? parentInstanceId,
        string? actor, CancellationToken cancellationToken)
    {
        var query = db.Definitions.Where(d => d.DefinitionId == request.DefinitionId);
        var definition = request.Version is { } version
            ? await query.FirstOrDefaultAsync(d => d.Version == version && d.PublishedAt != null, cancellationToken)
            : await query.FirstOrDefaultAsync(d => d.IsPublished, cancellationToken);
        if (definition is null)
        {
            if (request.Version is { } v) return WorkflowErrors.VersionNotFound(request.DefinitionId, v);
            return await query.AnyAsync(cancellationToken)
                ? WorkflowErrors.NoPublishedVersion(request.DefinitionId)
                : WorkflowErrors.DefinitionNotFound(request.DefinitionId);
        }

        var graph = GetGraph(definition);
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

    internal async Task<WorkflowResult<WorkflowExecution>> ResumeAsync(WorkflowDbContext db, Guid bookmarkId, JsonNode? payload, string? actor,
        CancellationToken cancellationToken)
    {
        var instanceId = await db.Bookmarks.Where(b => b.Id == bookmarkId).Select(b => (Guid?)b.InstanceId).FirstOrDefaultAsync(cancellationToken);
        if (instanceId is null) return WorkflowErrors.BookmarkNotFound(bookmarkId);

        var loaded = await LockAndLoadAsync(db, instanceId.Value, actor, cancellationToken);
        if (!loaded.IsSuccess) return loaded.Error!;
        var execution = loaded.Value;
        var bookmark = execution.OpenBookmarks.FirstOrDefault(b => b.Id == bookmarkId);
        if (bookmark is null)
        {
            var closed = await db.Bookmarks.AsNoTracking().FirstAsync(b => b.Id == bookmarkId, cancellationToken);
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
        await store.LockInstanceAsync(db, instanceId, cancellationToken);
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (instance is null) return WorkflowErrors.InstanceNotFound(instanceId);
        var definition = await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionVersionId, cancellationToken);
        // The unit of work may already hold this instance's bookmarks, changed or added and not yet saved (a task
        // command that then decides the step, a child that resumes its parent): the tracked values win.
        await db.Bookmarks.Where(b => b.InstanceId == instanceId && b.Status == BookmarkStatus.Open).LoadAsync(cancellationToken);
        var open = db.Bookmarks.Local.Where(b => b.InstanceId == instanceId && b.Status == BookmarkStatus.Open).OrderBy(b => b.CreatedAt).ToList();
        return new WorkflowExecution(this, db, instance, GetGraph(definition), open, actor);
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

    /// <summary>Published versions never change, so their parsed graphs are cached by version row id.</summary>
    private FlowGraph GetGraph(DefinitionRecord definition) =>
        _graphs.GetOrAdd(definition.Id, _ => new FlowGraph(DefinitionSerializer.Deserialize(definition.Json)));
}
