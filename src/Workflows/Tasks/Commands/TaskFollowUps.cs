using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>What people do around a case without deciding it: 抄送 (copies), 催办 (the applicant's reminders) and 意见 (comments).</summary>
internal sealed class TaskFollowUps(TaskCommands commands)
{
    private static readonly TimeSpan UrgeInterval = TimeSpan.FromHours(1);

    /// <summary>抄送: copies the case to people who follow it without acting.</summary>
    public Task<WorkflowResult<TaskView>> CopyAsync(Guid taskId, string actor, IReadOnlyList<string> users, string? note, CancellationToken cancellationToken) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (!await c.ActorSeesTaskAsync(ct)) return TaskErrors.NotCandidate(actor);
            var assignable = commands.Services.GetRequiredService<AssignableUsers>();
            if (await assignable.CheckAsync(c.Db, c.Task, actor, users, AssignAction.Copy, "users", ct) is { } invalid) return invalid;
            var known = users.Distinct().ToList();
            foreach (var user in known)
            {
                c.Db.CarbonCopies.Add(new CarbonCopyRecord { Id = Guid.NewGuid(), InstanceId = c.Task.InstanceId, TaskId = c.Task.Id, UserId = user, CopiedBy = actor, Note = note, CreatedAt = c.Now });
                c.Notify(user, "notify.case-copied");
            }

            c.Change(TaskActions.Copy, note, () => { }, extra: new JsonObject { ["to"] = new JsonArray(known.Select(u => (JsonNode)u).ToArray()) });
            return commands.View(c.Task);
        }, cancellationToken);

    public Task<WorkflowResult<bool>> MarkCopyReadAsync(Guid copyId, string actor, CancellationToken cancellationToken) =>
        commands.InTransactionAsync<bool>(async (db, ct) =>
        {
            var copy = await db.CarbonCopies.FirstOrDefaultAsync(x => x.Id == copyId, ct);
            if (copy is null || copy.UserId != actor) return TaskErrors.Invalid("copy_not_found", "找不到这条抄送。");
            copy.ReadAt ??= commands.Now.UtcDateTime;
            return true;
        }, cancellationToken);

    /// <summary>催办: the applicant reminds the holders of the waiting steps; at most once an hour per step.</summary>
    public Task<WorkflowResult<int>> UrgeAsync(Guid instanceId, string actor, string? comment, CancellationToken cancellationToken) =>
        commands.RunOnCaseAsync<int>(instanceId, actor, async (db, execution, ct) =>
        {
            if (execution.Instance.Initiator != actor) return TaskErrors.Forbidden("not_applicant", "只有申请人本人可以催办。");
            var now = commands.Now.UtcDateTime;
            var open = await db.Tasks.Where(t => t.InstanceId == instanceId && t.Status == TaskStatuses.Open).ToListAsync(ct);
            if (open.Count == 0) return TaskErrors.Conflict("nothing_to_urge", "当前没有等待办理的待办。");
            if (open.All(t => t.LastUrgedAt is { } last && now - last < UrgeInterval))
                return TaskErrors.Conflict("urged_recently", "一小时内已催办过，请稍后再试。");
            foreach (var task in open.Where(t => t.LastUrgedAt is not { } last || now - last >= UrgeInterval))
            {
                var command = new TaskCommand(commands, db, task, execution, actor, now);
                command.Change(TaskActions.Urge, comment, () => task.Urge(now));
                foreach (var holder in await TaskCommands.HoldersAsync(db, task, ct)) command.Notify(holder, "notify.task-urged");
            }

            return open.Count;
        }, cancellationToken);

    public Task<WorkflowResult<TaskView>> CommentAsync(Guid taskId, string actor, string comment, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(comment)
            ? Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.Invalid("comment_required", "请填写意见内容。"))
            : commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
            {
                if (!await c.ActorSeesTaskAsync(ct) && c.Task.InitiatorId != actor) return TaskErrors.NotCandidate(actor);
                c.Change(TaskActions.Comment, comment, () => { });
                return commands.View(c.Task);
            }, cancellationToken);
}
