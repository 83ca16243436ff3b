using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Expressions;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>
/// One instance during one burst: runs scheduled activities until every branch is suspended or done, and writes
/// state, bookmarks, journal entries, incidents and outbox messages into the caller's unit of work.
/// </summary>
internal sealed class WorkflowExecution
{
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<BookmarkRecord> _openBookmarks;
    private JsonNode? _finishResult;
    private bool _finishRequested;
    private int _executed;

    public WorkflowExecution(WorkflowEngine engine, WorkflowDbContext db, InstanceRecord instance, FlowGraph graph, List<BookmarkRecord> openBookmarks, string? actor)
    {
        Engine = engine;
        Db = db;
        Instance = instance;
        Graph = graph;
        State = WorkflowState.Deserialize(instance.StateJson);
        _openBookmarks = openBookmarks;
        Actor = actor;
    }

    public WorkflowEngine Engine { get; }
    public WorkflowDbContext Db { get; }
    public InstanceRecord Instance { get; }
    public FlowGraph Graph { get; }
    public WorkflowState State { get; }
    public string? Actor { get; }
    public IReadOnlyList<BookmarkRecord> OpenBookmarks => _openBookmarks;
    public DateTime Now => JournalHasher.Truncate(Engine.Clock.GetUtcNow().UtcDateTime);

    public void Schedule(string activityId, string? via, Guid? executionId = null, int attempt = 1, JsonNode? payload = null)
    {
        var node = Graph.Find(activityId);
        var item = new WorkItem(activityId, executionId ?? Guid.NewGuid(), attempt, via, Payload: payload);
        Append(JournalEvents.ActivityScheduled, item.ActivityId, node?.Type, item.ExecutionId, message: via is null ? null : $"via {via}");
        _queue.Enqueue(item);
    }

    /// <summary>Closes the bookmark and queues the work it stands for.</summary>
    public void Resume(BookmarkRecord bookmark, JsonNode? payload)
    {
        CloseBookmark(bookmark, BookmarkStatus.Resumed, Actor);
        if (bookmark.Name == BookmarkNames.Retry)
        {
            Schedule(bookmark.ActivityId, null, bookmark.ActivityExecutionId, bookmark.Attempt);
            return;
        }

        _queue.Enqueue(new WorkItem(bookmark.ActivityId, bookmark.ActivityExecutionId, bookmark.Attempt, null, bookmark, payload));
    }

    private void CloseBookmark(BookmarkRecord bookmark, string status, string? actor)
    {
        bookmark.Status = status;
        bookmark.ClosedAt = Now;
        bookmark.ClosedBy = actor;
        _openBookmarks.Remove(bookmark);
    }

    /// <summary>
    /// Moves a timer: the bookmark is cancelled and a new one (a new id, so a trigger already scheduled for the old one
    /// fires as a harmless conflict) waits for the same execution at <paramref name="due"/>; null only cancels.
    /// </summary>
    public void ReplaceTimer(BookmarkRecord timer, DateTimeOffset? due, string? payloadJson, string? actor)
    {
        CloseBookmark(timer, BookmarkStatus.Cancelled, actor);
        if (due is not { } at) return;
        var replacement = new BookmarkRecord
        {
            Id = Guid.NewGuid(), InstanceId = timer.InstanceId, ActivityId = timer.ActivityId, ActivityExecutionId = timer.ActivityExecutionId,
            Name = timer.Name, PayloadJson = payloadJson, DueAt = at.UtcDateTime, Attempt = timer.Attempt, Status = BookmarkStatus.Open, CreatedAt = Now,
        };
        Db.Bookmarks.Add(replacement);
        _openBookmarks.Add(replacement);
    }

    /// <summary>Re-queues work that was pending when the instance faulted.</summary>
    public void RestorePending()
    {
        foreach (var pending in State.Pending) _queue.Enqueue(new WorkItem(pending.ActivityId, pending.ExecutionId, pending.Attempt, pending.Via));
        State.Pending.Clear();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var span = Telemetry.WorkflowTelemetry.StartBurst(Instance, Engine.Replay is not null);
        var started = Engine.Clock.GetTimestamp();
        await RunBurstAsync(cancellationToken);
        Telemetry.WorkflowTelemetry.BurstEnded(span, Instance, Engine.Clock.GetElapsedTime(started));
    }

    private async Task RunBurstAsync(CancellationToken cancellationToken)
    {
        Instance.Status = WorkflowStatus.Running;
        do
        {
            while (Instance.Status == WorkflowStatus.Running && _queue.TryDequeue(out var item))
            {
                if (++_executed > Engine.Options.MaxActivitiesPerBurst)
                {
                    RaiseIncident(item, Graph.Find(item.ActivityId)?.Type ?? "?", new InvalidOperationException(
                        $"单次执行超过 {Engine.Options.MaxActivitiesPerBurst} 个环节，流程可能存在不等待的循环。"), RetryPolicy.None);
                    break;
                }

                await ExecuteAsync(item, cancellationToken);
                if (_finishRequested) await FinishAsync(cancellationToken);
            }
        }
        while (Instance.Status == WorkflowStatus.Running && ReleaseStalledJoins());

        if (Instance.Status == WorkflowStatus.Running)
        {
            if (_openBookmarks.Count == 0) await FinishAsync(cancellationToken);
            else Instance.Status = WorkflowStatus.Suspended;
        }

        Save();
    }

    public void RequestFinish(JsonNode? result)
    {
        _finishRequested = true;
        _finishResult = result;
    }

    public async Task CancelAsync(string? reason, CancellationToken cancellationToken)
    {
        foreach (var bookmark in _openBookmarks.ToList()) await CancelBookmarkAsync(bookmark, reason, cancellationToken);
        _queue.Clear();
        State.Pending.Clear();
        Deadlines.CaseClock.Stop(this);
        Instance.Status = WorkflowStatus.Cancelled;
        Instance.FinishedAt = Now;
        Append(JournalEvents.WorkflowCancelled, message: reason);
        Save();
    }

    /// <summary>True when something can still arrive at <paramref name="activityId"/>: an arrival already queued, or an activity that leads to it queued or waiting.</summary>
    public bool HasPendingWorkLeadingTo(string activityId)
    {
        var ancestors = Graph.Ancestors(activityId);
        return _queue.Any(w => w.ActivityId == activityId || ancestors.Contains(w.ActivityId))
            || _openBookmarks.Any(b => ancestors.Contains(b.ActivityId));
    }

    /// <summary>Cancels the open bookmarks and queued work of every branch that leads to <paramref name="activityId"/>, and arrivals at it still queued.</summary>
    public async Task CancelBranchesLeadingToAsync(string activityId, string reason, CancellationToken cancellationToken)
    {
        var ancestors = Graph.Ancestors(activityId);
        foreach (var bookmark in _openBookmarks.Where(b => ancestors.Contains(b.ActivityId)).ToList())
            await CancelBookmarkAsync(bookmark, reason, cancellationToken);
        bool Leads(WorkItem w) => w.ActivityId == activityId || ancestors.Contains(w.ActivityId);
        var keep = _queue.Where(w => !Leads(w)).ToList();
        foreach (var dropped in _queue.Where(Leads))
            Append(JournalEvents.ActivityCancelled, dropped.ActivityId, Graph.Find(dropped.ActivityId)?.Type, dropped.ExecutionId, message: reason);
        _queue.Clear();
        foreach (var item in keep) _queue.Enqueue(item);
    }

    /// <summary>
    /// What returning to <paramref name="targetId"/> would cancel: the open bookmarks of the target and of every activity
    /// after it. Branches that do not pass through the target are left alone.
    /// </summary>
    public IReadOnlyList<BookmarkRecord> BookmarksRedoneByReturnTo(string targetId)
    {
        var redone = Graph.Descendants(targetId);
        return _openBookmarks.Where(b => b.ActivityId == targetId || redone.Contains(b.ActivityId)).ToList();
    }

    /// <summary>
    /// Goes back to an earlier activity (退回): cancels what <see cref="BookmarksRedoneByReturnTo"/> names, forgets join
    /// arrivals from those activities, and schedules the target afresh with <paramref name="payload"/>.
    /// </summary>
    public async Task ReturnToAsync(string targetId, JsonNode payload, string reason, CancellationToken cancellationToken)
    {
        var redone = Graph.Descendants(targetId);
        foreach (var bookmark in BookmarksRedoneByReturnTo(targetId)) await CancelBookmarkAsync(bookmark, reason, cancellationToken);
        foreach (var (joinId, arrivals) in State.JoinArrivals)
            arrivals.RemoveAll(key => key.Split(':')[0] is var source && (source == targetId || redone.Contains(source)));
        Append(JournalEvents.Note, targetId, Graph.Find(targetId)?.Type, message: reason);
        Schedule(targetId, null, payload: payload);
    }

    public ExpressionScope CreateScope(ActivityExecutionContext? context)
    {
        var variables = (JsonObject)State.Variables.DeepClone();
        if (context is not null)
            foreach (var (name, value) in context.VariableChanges) variables[name] = value?.DeepClone();
        var workflow = new JsonObject
        {
            ["instanceId"] = (Engine.Replay?.OriginalInstanceId ?? Instance.Id).ToString(),
            ["definitionId"] = Instance.DefinitionId,
            ["version"] = Instance.DefinitionVersion,
            ["correlationId"] = Instance.CorrelationId,
            ["initiator"] = Instance.Initiator,
            ["actor"] = Actor,
        };
        return new ExpressionScope(variables, (JsonObject)State.Input.DeepClone(), (JsonObject)State.Outputs.DeepClone(), workflow, context?.ResumePayload?.DeepClone());
    }

    public static BookmarkInfo ToInfo(BookmarkRecord b) => new(b.Id, b.InstanceId, b.ActivityId, b.Name, b.CorrelationKey,
        b.PayloadJson is null ? null : JsonNode.Parse(b.PayloadJson), b.DueAt is { } due ? new DateTimeOffset(due, TimeSpan.Zero) : null,
        new DateTimeOffset(b.CreatedAt, TimeSpan.Zero));

    public void Append(string eventName, string? activityId = null, string? activityType = null, Guid? executionId = null,
        string? outcome = null, JsonNode? inputs = null, JsonNode? outputs = null, string? message = null) =>
        JournalChain.Append(Db, Instance, Now, Actor, eventName, activityId, activityType, executionId, outcome,
            inputs?.ToJsonString(JsonDefaults.Stored), outputs?.ToJsonString(JsonDefaults.Stored), message);

    private async Task ExecuteAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var node = Graph.Find(item.ActivityId);
        var descriptor = node is null ? null : Engine.Registry.Find(node.Type);
        if (node is null || descriptor is null)
        {
            RaiseIncident(item, node?.Type ?? "?", new InvalidOperationException(
                node is null ? $"流程中没有环节“{item.ActivityId}”。" : $"未知的环节类型“{node.Type}”。"), RetryPolicy.None);
            return;
        }

        var context = new ActivityExecutionContext(this, node, descriptor, item, cancellationToken);
        Append(item.Bookmark is null ? JournalEvents.ActivityStarted : JournalEvents.ActivityResumed, node.Id, node.Type, item.ExecutionId,
            inputs: item.Payload, message: item.Bookmark is null ? (item.Attempt > 1 ? $"第 {item.Attempt} 次尝试" : null) : item.Bookmark.Name);
        try
        {
            var activity = Engine.Registry.Create(descriptor, node);
            if (Engine.Replay is { } replay && !replay.ReExecutes(descriptor)) replay.Substitute(context);
            else if (item.Bookmark is null) await activity.ExecuteAsync(context);
            else await activity.ResumeAsync(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Engine.Logger.LogWarning(ex, "Activity {ActivityId} ({ActivityType}) of instance {InstanceId} failed on attempt {Attempt}",
                node.Id, node.Type, Instance.Id, item.Attempt);
            RaiseIncident(item, node.Type, ex, ex is WorkflowFaultException ? RetryPolicy.None : descriptor.RetryPolicy,
                context.EvaluatedInputs);
            return;
        }

        await ApplyAsync(context, cancellationToken);
        if (context.IsCompleted)
        {
            // An execution that completed leaves nothing behind: its other wait points (SLA timers…) go with it.
            foreach (var sibling in _openBookmarks.Where(b => b.ActivityExecutionId == item.ExecutionId).ToList())
                await CancelBookmarkAsync(sibling, "环节已完成", cancellationToken);
        }

        var inputs = context.EvaluatedInputs.Count == 0 ? null : new JsonObject(context.EvaluatedInputs.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        if (context.IsCompleted)
        {
            Append(JournalEvents.ActivityCompleted, node.Id, node.Type, item.ExecutionId, string.Join(',', context.CompletedOutcomes),
                inputs, context.Outputs.Count == 0 ? null : context.Outputs.DeepClone());
            AppendVariableChanges(context, node, item);
            foreach (var outcome in context.CompletedOutcomes)
            foreach (var connection in Graph.Outbound(node.Id, outcome))
                Schedule(connection.Target.Activity, FlowGraph.Key(connection));
        }
        else if (context.NewBookmarks.Count > 0)
        {
            Append(JournalEvents.ActivitySuspended, node.Id, node.Type, item.ExecutionId, inputs: inputs,
                message: string.Join(',', context.NewBookmarks.Select(b => b.Name)));
            AppendVariableChanges(context, node, item);
        }
        else
        {
            Append(JournalEvents.ActivityWaiting, node.Id, node.Type, item.ExecutionId, inputs: inputs);
            AppendVariableChanges(context, node, item);
        }

        foreach (var note in context.Notes) Append(JournalEvents.Note, node.Id, node.Type, item.ExecutionId, message: note);
    }

    /// <summary>Variable changes are journaled right after the execution's entry, so the journal alone shows the data after each step.</summary>
    private void AppendVariableChanges(ActivityExecutionContext context, Definitions.ActivityNode node, WorkItem item)
    {
        if (context.VariableChanges.Count == 0) return;
        Append(JournalEvents.VariablesChanged, node.Id, node.Type, item.ExecutionId,
            outputs: new JsonObject(context.VariableChanges.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))));
    }

    private async Task ApplyAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in context.VariableChanges) State.Variables[name] = value;
        if (context.Outputs.Count > 0) State.Outputs[context.ActivityId] = context.Outputs.DeepClone();
        foreach (var bookmark in context.NewBookmarks)
        {
            Db.Bookmarks.Add(bookmark);
            _openBookmarks.Add(bookmark);
        }

        foreach (var entity in context.NewEntities) Db.Add(entity);
        foreach (var entity in context.ChangedEntities) Update(entity);
        foreach (var message in context.NewMessages)
        {
            if (Db.Outbox.Local.Any(m => m.Key == message.Key)) continue;
            // The key makes a message idempotent: insert-or-ignore in the burst's transaction (one statement). A unit of
            // work without a transaction is never saved (a measurement of the engine alone): it only asks.
            if (Db.Database.CurrentTransaction is not null) await Db.InsertUnlessKeyTakenAsync(message, cancellationToken);
            else if (!await Engine.OutboxKeyExists(Db, message.Key, cancellationToken)) Db.Outbox.Add(message);
        }
    }

    /// <summary>Marks a row read without tracking as changed; if this burst already tracks the same row, copies the values onto it.</summary>
    private void Update(object entity)
    {
        var type = Db.Model.FindEntityType(entity.GetType()) ?? throw new InvalidOperationException($"{entity.GetType()} is not a table of the engine.");
        var key = type.FindPrimaryKey()!.Properties;
        var tracked = Db.ChangeTracker.Entries().FirstOrDefault(e => e.Metadata == type && !ReferenceEquals(e.Entity, entity) &&
            key.All(p => Equals(e.Property(p.Name).CurrentValue, p.PropertyInfo!.GetValue(entity))));
        if (tracked is null) Db.Update(entity);
        else tracked.CurrentValues.SetValues(entity);
    }

    private void RaiseIncident(WorkItem item, string activityType, Exception error, RetryPolicy policy, IReadOnlyDictionary<string, JsonNode?>? inputs = null)
    {
        var now = Now;
        var incident = new IncidentRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = Instance.Id,
            ActivityId = item.ActivityId,
            ActivityType = activityType,
            ActivityExecutionId = item.ExecutionId,
            Attempt = item.Attempt,
            ErrorType = error.GetType().FullName ?? error.GetType().Name,
            Message = error.Message,
            Details = error.ToString(),
            Status = IncidentStatus.Open,
            CreatedAt = now,
        };
        Db.Incidents.Add(incident);
        var inputJson = inputs is null || inputs.Count == 0 ? null : new JsonObject(inputs.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        if (policy.CanRetryAfter(item.Attempt))
        {
            var due = now + policy.BackoffAfter(item.Attempt);
            var retry = new BookmarkRecord
            {
                Id = Guid.NewGuid(),
                InstanceId = Instance.Id,
                ActivityId = item.ActivityId,
                ActivityExecutionId = item.ExecutionId,
                Name = BookmarkNames.Retry,
                DueAt = due,
                Attempt = item.Attempt + 1,
                Status = BookmarkStatus.Open,
                CreatedAt = now,
            };
            Db.Bookmarks.Add(retry);
            _openBookmarks.Add(retry);
            incident.Status = IncidentStatus.RetryScheduled;
            incident.RetryBookmarkId = retry.Id;
            Append(JournalEvents.ActivityFaulted, item.ActivityId, activityType, item.ExecutionId, inputs: inputJson,
                message: $"{error.Message}（第 {item.Attempt} 次，将于 {due:yyyy-MM-dd HH:mm:ss} UTC 重试）");
            return;
        }

        Append(JournalEvents.ActivityFaulted, item.ActivityId, activityType, item.ExecutionId, inputs: inputJson,
            message: $"{error.Message}（第 {item.Attempt} 次）");
        State.Pending.AddRange(_queue.Select(w => new PendingWork(w.ActivityId, w.ExecutionId, w.Attempt, w.Via)));
        _queue.Clear();
        Instance.Status = WorkflowStatus.Faulted;
        Instance.FaultMessage = $"环节“{item.ActivityId}”（{activityType}）出错：{error.Message}";
        Append(JournalEvents.WorkflowFaulted, item.ActivityId, activityType, item.ExecutionId, message: Instance.FaultMessage);
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        _finishRequested = false;
        foreach (var bookmark in _openBookmarks.ToList()) await CancelBookmarkAsync(bookmark, "流程已结束", cancellationToken);
        foreach (var dropped in _queue)
            Append(JournalEvents.ActivityCancelled, dropped.ActivityId, Graph.Find(dropped.ActivityId)?.Type, dropped.ExecutionId, message: "流程已结束");
        _queue.Clear();
        State.JoinArrivals.Clear();
        State.Result = _finishResult;
        Deadlines.CaseClock.Stop(this);
        Instance.Status = WorkflowStatus.Finished;
        Instance.FinishedAt = Now;
        Append(JournalEvents.WorkflowFinished, outputs: _finishResult?.DeepClone());
    }

    private async Task CancelBookmarkAsync(BookmarkRecord bookmark, string? reason, CancellationToken cancellationToken)
    {
        CloseBookmark(bookmark, BookmarkStatus.Cancelled, Actor);
        Append(JournalEvents.ActivityCancelled, bookmark.ActivityId, Graph.Find(bookmark.ActivityId)?.Type, bookmark.ActivityExecutionId,
            message: reason ?? bookmark.Name);
        if (bookmark.Name == BookmarkNames.SubWorkflow)
            await Engine.CancelChildrenAsync(Db, Instance.Id, bookmark.Id, Actor, reason, cancellationToken);
        await Engine.NotifyBookmarkCancelledAsync(Db, bookmark, cancellationToken);
    }

    /// <summary>
    /// A wait-all join whose missing branches can no longer arrive (a decision took another way) fires once nothing
    /// that leads to it is pending.
    /// </summary>
    private bool ReleaseStalledJoins()
    {
        var released = false;
        foreach (var (joinId, arrivals) in State.JoinArrivals.ToList())
        {
            if (arrivals.Count == 0 || HasPendingWorkLeadingTo(joinId)) continue;
            Schedule(joinId, null);
            released = true;
        }

        return released;
    }

    /// <summary>Writes the state back to the instance row; every change of an instance bumps its revision.</summary>
    public void Save()
    {
        Instance.StateJson = State.Serialize();
        Instance.UpdatedAt = Now;
        Instance.Revision++;
    }
}

/// <summary>Thrown by the Fault activity: a deliberate failure that is never retried automatically.</summary>
public sealed class WorkflowFaultException(string message) : Exception(message);
