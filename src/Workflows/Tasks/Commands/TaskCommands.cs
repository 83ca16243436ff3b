using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// What every task command shares. A command is one transaction: the instance is locked and loaded, the task re-read
/// under the lock, the command checked against the task's state and the actor, then the task, its audit row, a journal
/// entry and (when the step is decided) the engine's next burst are committed together. A refusal changes nothing.
/// </summary>
public sealed class TaskCommands(WorkflowRuntime runtime, WorkflowEngine engine, TimeProvider clock, IServiceProvider services)
{
    /// <summary>
    /// The longest comment or reason a task command records, in Unicode code points. The API refuses longer ones with a
    /// field error (Host <c>TextLimits.Comment</c>); other callers have theirs clipped, never split inside a character.
    /// </summary>
    public const int MaxComment = 2000;

    internal WorkflowEngine Engine => engine;

    internal IServiceProvider Services => services;

    internal WorkingDayCalendar Calendar => services.GetRequiredService<WorkingDayCalendar>();

    internal DateTimeOffset Now => clock.GetUtcNow();

    internal TaskView View(TaskRecord task) => TaskView.From(task, Now);

    /// <summary>
    /// Runs <paramref name="body"/> on the task <paramref name="taskId"/>, on the one execution of its instance the engine
    /// locked and loaded for this command (<see cref="WorkflowEngine.ExecuteAsync{T}"/>); a decision resumes the step on
    /// that same execution.
    /// </summary>
    internal Task<WorkflowResult<T>> RunAsync<T>(Guid taskId, string actor, Func<TaskCommand, CancellationToken, Task<WorkflowResult<T>>> body,
        CancellationToken cancellationToken) =>
        runtime.InTransactionAsync<T>(async (db, ct) =>
        {
            var instanceId = await _taskInstance(db, taskId, ct);
            if (instanceId is null) return TaskErrors.NotFound(taskId);
            return await engine.ExecuteAsync<T>(db, instanceId.Value, actor, async (execution, token) =>
            {
                // The task with the rest of its step's group, in one statement under the lock: a decision needs the group.
                var group = new List<TaskRecord>();
                await foreach (var member in _groupOfTask(db, taskId).WithCancellation(token)) group.Add(member);
                var task = group.First(t => t.Id == taskId);
                var command = new TaskCommand(this, db, task, execution, actor, Now.UtcDateTime, group);
                var result = await body(command, token);
                if (!result.IsSuccess) return await TaskErrors.NamedAsync(db, result.Error!, [task.AssigneeId, task.CompletedBy, task.OwnerId, actor], token);
                command.SaveClock();
                return result;
            }, ct);
        }, cancellationToken);

    /// <summary>Runs <paramref name="body"/> on a case (withdrawing, urging), on the one execution the engine locked and loaded for it.</summary>
    internal Task<WorkflowResult<T>> RunOnCaseAsync<T>(Guid instanceId, string actor,
        Func<WorkflowDbContext, WorkflowExecution, CancellationToken, Task<WorkflowResult<T>>> body, CancellationToken cancellationToken) =>
        runtime.InTransactionAsync<T>((db, ct) => engine.ExecuteAsync<T>(db, instanceId, actor, (execution, token) => body(db, execution, token), ct),
            cancellationToken);

    /// <summary>A short write that needs no instance lock (a copy marked read).</summary>
    internal Task<WorkflowResult<T>> InTransactionAsync<T>(Func<WorkflowDbContext, CancellationToken, Task<WorkflowResult<T>>> work,
        CancellationToken cancellationToken) => runtime.InTransactionAsync(work, cancellationToken);

    /// <summary>The tasks of a step execution: the group that decides it, signers included.</summary>
    internal async Task<List<TaskRecord>> GroupAsync(WorkflowDbContext db, Guid activityExecutionId, CancellationToken ct)
    {
        var group = new List<TaskRecord>();
        await foreach (var task in _tasksOfExecution(db, activityExecutionId).WithCancellation(ct)) group.Add(task);
        return group;
    }

    internal static Task<bool> IsCandidateAsync(WorkflowDbContext db, TaskRecord task, string actor, CancellationToken ct) =>
        db.TaskCandidates.AnyAsync(x => x.TaskId == task.Id && x.UserId == actor, ct);

    /// <summary>Who is reminded about a task: its assignee, or the candidates of a pool task.</summary>
    internal static async Task<IReadOnlyList<string>> HoldersAsync(WorkflowDbContext db, TaskRecord task, CancellationToken ct) =>
        task.AssigneeId is { } assignee ? [assignee] : await db.TaskCandidates.Where(x => x.TaskId == task.Id).Select(x => x.UserId).ToListAsync(ct);

    // The queries of every command, compiled once (EF Core then skips building and looking up the query per call); per
    // service, as a compiled query serves one model (one database provider) only.
    private readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<Guid?>> _taskInstance =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) => db.Tasks.Where(t => t.Id == id).Select(t => (Guid?)t.InstanceId).FirstOrDefault());

    private readonly Func<WorkflowDbContext, Guid, IAsyncEnumerable<TaskRecord>> _groupOfTask =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id) =>
            db.Tasks.Where(t => t.ActivityExecutionId == db.Tasks.Where(x => x.Id == id).Select(x => x.ActivityExecutionId).FirstOrDefault()));

    private readonly Func<WorkflowDbContext, Guid, IAsyncEnumerable<TaskRecord>> _tasksOfExecution =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid executionId) => db.Tasks.Where(t => t.ActivityExecutionId == executionId));
}

/// <summary>One command on one task, under the instance lock: the unit of work, the loaded case, the actor and the time.</summary>
internal sealed class TaskCommand(TaskCommands commands, WorkflowDbContext db, TaskRecord task, WorkflowExecution execution, string actor, DateTime now,
    List<TaskRecord>? group = null)
{
    private bool _clockChanged;
    private LegalClock? _clock = task.ClockJson is null ? null : JsonSerializer.Deserialize<LegalClock>(task.ClockJson, UserTask.Json);

    public WorkflowDbContext Db { get; } = db;
    public TaskRecord Task { get; } = task;
    public WorkflowExecution Execution { get; } = execution;
    public string Actor { get; } = actor;
    public DateTime Now { get; } = now;
    public DateTimeOffset NowOffset => new(Now, TimeSpan.Zero);

    /// <summary>The step's legal clock (its deadline), written back to the task when the command succeeds.</summary>
    public LegalClock? Clock
    {
        get => _clock;
        set
        {
            _clock = value;
            _clockChanged = true;
        }
    }

    /// <summary>Whether the actor is one of the task's candidates (a query, so asked only when it matters).</summary>
    public ValueTask<bool> ActorIsCandidateAsync(CancellationToken ct) => new(TaskCommands.IsCandidateAsync(Db, Task, Actor, ct));

    /// <summary>
    /// The checks every deciding command makes (<see cref="TaskRecord.DecisionRefusalAsync"/>); a candidate of an
    /// unclaimed pool task claims it by acting.
    /// </summary>
    public async Task<WorkflowError?> CheckDecisionAsync(CancellationToken ct)
    {
        if (await Task.DecisionRefusalAsync(Actor, () => ActorIsCandidateAsync(ct)) is { } refused) return refused;
        if (Task.AssigneeId is null) Change(TaskActions.Claim, null, () => Task.Claim(Actor, Now));
        return null;
    }

    /// <summary>Whether the actor holds or may hold the task: its assignee, its owner (委派) or a candidate.</summary>
    public async Task<bool> ActorSeesTaskAsync(CancellationToken ct) =>
        Task.AssigneeId == Actor || Task.OwnerId == Actor || await TaskCommands.IsCandidateAsync(Db, Task, Actor, ct);

    /// <summary>
    /// The tasks of the command's step (its execution): the group that decides it, signers included, as the database held
    /// them when the command began (read with the task, under the instance lock; rows the command adds are not in it).
    /// </summary>
    public Task<List<TaskRecord>> GroupAsync(CancellationToken ct) =>
        group is not null ? System.Threading.Tasks.Task.FromResult(group) : commands.GroupAsync(Db, Task.ActivityExecutionId, ct);

    /// <summary>Applies a change to the task and records it: an audit row with before/after, and a journal entry.</summary>
    public void Change(string action, string? comment, Action apply, JsonObject? extra = null) => Change(Task, action, comment, apply, extra);

    /// <summary>Applies a change to <paramref name="task"/> (this one or one of its group) and records it.</summary>
    public void Change(TaskRecord task, string action, string? comment, Action apply, JsonObject? extra = null)
    {
        if (comment is { Length: > TaskCommands.MaxComment } && comment.EnumerateRunes().Count() > TaskCommands.MaxComment)
            comment = string.Concat(comment.EnumerateRunes().Take(TaskCommands.MaxComment).Select(r => r.ToString()));
        var before = TaskAudit.Snapshot(task);
        apply();
        var after = TaskAudit.Snapshot(task);
        if (extra is not null)
            foreach (var (key, value) in extra) after[key] = value?.DeepClone();
        Db.TaskActions.Add(TaskAudit.Action(task, action, Actor, Now, comment, before, after));
        Execution.Append(JournalEvents.TaskAction, task.ActivityId, UserTask.TypeName, task.ActivityExecutionId, action, before, after, comment);
    }

    /// <summary>
    /// A change that follows from the command to another task of the step (cancelled, activated, a signer removed): an
    /// audit row by <paramref name="by"/> with the task before it, no journal entry of its own.
    /// </summary>
    public void Consequence(TaskRecord task, string action, string by, string why, Action apply)
    {
        var before = TaskAudit.Snapshot(task);
        apply();
        Db.TaskActions.Add(TaskAudit.Action(task, action, by, Now, why, before));
    }

    public void Notify(string user, string type, TaskRecord? about = null, JsonObject? extra = null)
    {
        var target = about ?? Task;
        var payload = UserTask.Notice(user, target);
        foreach (var (key, value) in extra ?? []) payload[key] = value?.DeepClone();
        Db.Outbox.Add(new OutboxRecord
        {
            Id = Guid.NewGuid(), InstanceId = target.InstanceId, Type = type, Key = $"{type}:{target.Id:N}:{user}:{Now.Ticks}",
            PayloadJson = payload.ToJsonString(JsonDefaults.Stored), CreatedAt = Now, NextAttemptAt = Now,
        });
    }

    public void SaveClock()
    {
        if (_clockChanged) Task.ClockJson = _clock is null ? null : JsonSerializer.Serialize(_clock, UserTask.Json);
    }
}
