using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Who holds a task: 认领 (claim), 退回待认领 (release), 转办 (transfer), 委派 (delegate) and its hand-back.</summary>
internal sealed class TaskAssignments(TaskCommands commands)
{
    private AssignableUsers Assignable => commands.Services.GetRequiredService<AssignableUsers>();

    public Task<WorkflowResult<TaskView>> ClaimAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await c.Task.ClaimRefusalAsync(actor, () => c.ActorIsCandidateAsync(ct)) is { } refused) return refused;
            if (c.Task.AssigneeId != actor) c.Change(TaskActions.Claim, null, () => c.Task.Claim(actor, c.Now));
            return commands.View(c.Task);
        }, cancellationToken);

    public Task<WorkflowResult<TaskView>> ReleaseAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            var candidates = await c.Db.TaskCandidates.Where(x => x.TaskId == c.Task.Id).Select(x => x.UserId).ToListAsync(ct);
            if (c.Task.ReleaseRefusal(actor, candidates) is { } refused) return refused;
            c.Change(TaskActions.Release, null, c.Task.Release);
            return commands.View(c.Task);
        }, cancellationToken);

    /// <summary>转办: the task passes to another person, who then holds it alone.</summary>
    public Task<WorkflowResult<TaskView>> TransferAsync(Guid taskId, string actor, string toUser, string? comment, CancellationToken cancellationToken = default) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
            if (await Assignable.CheckAsync(c.Db, c.Task, actor, [toUser], AssignAction.Transfer, "toUser", ct) is { } invalid) return invalid;
            c.Change(TaskActions.Transfer, comment, () => c.Task.TransferTo(toUser), extra: new JsonObject { ["to"] = toUser });
            await c.Db.TaskCandidates.Where(x => x.TaskId == c.Task.Id).ExecuteDeleteAsync(ct);
            c.Db.TaskCandidates.Add(new TaskCandidateRecord { TaskId = c.Task.Id, UserId = toUser });
            c.Notify(toUser, "notify.task-assigned");
            return commands.View(c.Task);
        }, cancellationToken);

    /// <summary>委派: another person handles the task and hands it back (<see cref="ResolveAsync"/>); the decision stays with the delegator.</summary>
    public Task<WorkflowResult<TaskView>> DelegateAsync(Guid taskId, string actor, string toUser, string? comment, CancellationToken cancellationToken = default) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
            if (await Assignable.CheckAsync(c.Db, c.Task, actor, [toUser], AssignAction.Delegate, "toUser", ct) is { } invalid) return invalid;
            c.Change(TaskActions.Delegate, comment, () => c.Task.DelegateTo(actor, toUser), extra: new JsonObject { ["to"] = toUser });
            c.Notify(toUser, "notify.task-delegated");
            return commands.View(c.Task);
        }, cancellationToken);

    /// <summary>办理完成: the delegate hands the task back to who delegated it.</summary>
    public Task<WorkflowResult<TaskView>> ResolveAsync(Guid taskId, string actor, string? comment, CancellationToken cancellationToken = default) =>
        commands.RunAsync<TaskView>(taskId, actor, (c, _) =>
        {
            if (c.Task.ResolveRefusal(actor) is { } refused) return Task.FromResult<WorkflowResult<TaskView>>(refused);
            var owner = c.Task.OwnerId!;
            c.Change(TaskActions.Resolve, comment, c.Task.ResolveDelegation);
            c.Notify(owner, "notify.task-resolved");
            return Task.FromResult<WorkflowResult<TaskView>>(commands.View(c.Task));
        }, cancellationToken);
}
