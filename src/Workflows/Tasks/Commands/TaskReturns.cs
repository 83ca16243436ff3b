using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// Routing a case backwards: 退回 to an earlier human step (to the applicant it is a correction, 补正), what a return
/// would cancel, and 撤回, the applicant taking the case back while the next step has not acted on it.
/// </summary>
internal sealed class TaskReturns(TaskCommands commands)
{
    /// <summary>The earlier human steps this task may be returned to, nearest first.</summary>
    public Task<WorkflowResult<IReadOnlyList<ReturnTarget>>> ReturnTargetsAsync(Guid taskId, string actor, CancellationToken cancellationToken) =>
        commands.RunAsync<IReadOnlyList<ReturnTarget>>(taskId, actor, async (c, ct) =>
        {
            if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
            return ReturnTargets(c.Execution, c.Task.ActivityId).ToList();
        }, cancellationToken);

    /// <summary>What returning to <paramref name="targetActivityId"/> would cancel, without doing it.</summary>
    public Task<WorkflowResult<ReturnPreview>> PreviewReturnAsync(Guid taskId, string actor, string targetActivityId, CancellationToken cancellationToken) =>
        commands.RunAsync<ReturnPreview>(taskId, actor, async (c, ct) =>
        {
            if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
            if (Target(c, targetActivityId) is not { } target) return InvalidTarget(targetActivityId);
            return await PreviewAsync(c, target, ct);
        }, cancellationToken);

    /// <summary>退回 to an earlier human step, with a reason. Back to the applicant it is a correction (补正).</summary>
    public Task<WorkflowResult<ReturnPreview>> ReturnAsync(Guid taskId, string actor, string targetActivityId, string? reason, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<WorkflowResult<ReturnPreview>>(TaskErrors.ReasonRequired("退回"))
            : commands.RunAsync<ReturnPreview>(taskId, actor, async (c, ct) =>
            {
                if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
                if (Target(c, targetActivityId) is not { } target) return InvalidTarget(targetActivityId);
                var preview = await PreviewAsync(c, target, ct);
                StashClock(c, reason!);
                if (target.IsApplicantStep) Deadlines.CaseClock.ReturnForCorrection(c.Execution, reason!, actor);
                c.Change(TaskActions.Return, reason, () => c.Task.Complete(null, "Return", reason, actor, c.Now),
                    extra: new JsonObject { ["target"] = target.ActivityId, ["correction"] = target.IsApplicantStep });
                var message = $"{(target.IsApplicantStep ? "退回申请人补正" : "退回")}至“{target.Name}”：{reason}";
                var returned = await commands.Engine.ReturnAsync(c.Execution, target.ActivityId,
                    new JsonObject { ["reason"] = reason, ["from"] = c.Task.ActivityId, ["by"] = actor, ["correction"] = target.IsApplicantStep }, message, ct);
                return returned.IsSuccess ? preview : returned.Error!;
            }, cancellationToken);

    /// <summary>撤回: the applicant takes the case back while the next step has not acted on it.</summary>
    public Task<WorkflowResult<RunResult>> WithdrawAsync(Guid instanceId, string actor, string? reason, CancellationToken cancellationToken) =>
        commands.RunOnCaseAsync<RunResult>(instanceId, actor, async (db, execution, ct) =>
        {
            if (execution.Instance.Initiator != actor) return TaskErrors.Forbidden("not_applicant", "只有申请人本人可以撤回申请。");
            if (execution.Instance.Status != WorkflowStatus.Suspended)
                return WorkflowErrors.InstanceNotRunning(instanceId, execution.Instance.Status);
            if (await WithdrawRule.RefusalAsync(db, instanceId, execution.Instance.Initiator, actor, ct) is { } refused) return refused;
            var open = await db.Tasks.Where(t => t.InstanceId == instanceId && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting)).ToListAsync(ct);

            var audit = new TaskActionRecord
            {
                Id = Guid.NewGuid(), InstanceId = instanceId, Action = TaskActions.Withdraw, Actor = actor, At = commands.Now.UtcDateTime,
                Sequence = TaskAudit.NextSequence(), Comment = reason,
            };
            db.TaskActions.Add(audit);
            var message = "申请人撤回" + (string.IsNullOrWhiteSpace(reason) ? "" : $"：{reason}");
            var applicantStep = await ApplicantStepAsync(db, execution, actor, open, ct);
            if (applicantStep is not null) Deadlines.CaseClock.ReturnForCorrection(execution, message, actor);
            WorkflowResult<WorkflowExecution> result = applicantStep is null
                ? await commands.Engine.CancelLoadedAsync(execution, message, ct)
                : await commands.Engine.ReturnAsync(execution, applicantStep, new JsonObject { ["reason"] = message, ["by"] = actor, ["withdrawn"] = true }, message, ct);
            if (!result.IsSuccess) return result.Error!;
            return new RunResult(instanceId, execution.Instance.Status, execution.OpenBookmarks.Select(WorkflowExecution.ToInfo).ToList(),
                execution.Instance.FaultMessage, execution.State.Result?.DeepClone());
        }, cancellationToken);

    private static ReturnTarget? Target(TaskCommand c, string targetActivityId) =>
        ReturnTargets(c.Execution, c.Task.ActivityId).FirstOrDefault(t => t.ActivityId == targetActivityId);

    private static WorkflowError InvalidTarget(string targetActivityId) =>
        TaskErrors.Invalid("invalid_return_target", $"不能退回到“{targetActivityId}”：只能退回到本环节之前的人工环节。");

    /// <summary>The human steps before this one: a return may go to any of them.</summary>
    private static IEnumerable<ReturnTarget> ReturnTargets(WorkflowExecution execution, string activityId)
    {
        var graph = execution.Graph;
        var ancestors = graph.Ancestors(activityId);
        return graph.Definition.Root.Activities
            .Where(a => a.Type == UserTask.TypeName && ancestors.Contains(a.Id) && a.Id != activityId)
            .Select(a => new ReturnTarget(a.Id, a.Name ?? a.Id, UserTask.IsApplicantStep(a)))
            .OrderBy(t => graph.Ancestors(t.ActivityId).Count * -1);
    }

    private async Task<ReturnPreview> PreviewAsync(TaskCommand c, ReturnTarget target, CancellationToken ct)
    {
        var bookmarks = c.Execution.BookmarksRedoneByReturnTo(target.ActivityId);
        var ids = bookmarks.Select(b => b.Id).ToList();
        var tasks = await c.Db.Tasks.Where(t => ids.Contains(t.BookmarkId) && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending))
            .OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var others = bookmarks.Where(b => b.Name != UserTask.DecisionBookmark && !b.Name.StartsWith("UserTask.", StringComparison.Ordinal))
            .Select(b => b.ActivityId).Distinct().ToList();
        return new ReturnPreview(target.ActivityId, target.Name, target.IsApplicantStep, tasks.Select(commands.View).ToList(), others);
    }

    /// <summary>The returning step's clock stops while the case is elsewhere; its rule decides what coming back costs.</summary>
    private void StashClock(TaskCommand c, string reason)
    {
        if (c.Clock is not { } legalClock) return;
        var returned = legalClock.ReturnForCorrection(commands.Calendar, c.NowOffset, reason, c.Actor);
        if (!returned.IsSuccess) return;
        c.Clock = returned.Value.Clock;
        var stash = c.Execution.State.Data[UserTask.StageClocksKey] as JsonObject ?? [];
        stash[c.Task.ActivityId] = JsonSerializer.SerializeToNode(returned.Value.Clock, UserTask.Json);
        c.Execution.State.Data[UserTask.StageClocksKey] = stash;
    }

    /// <summary>The applicant's own step the case goes back to when withdrawn: the latest they completed that comes before every open task.</summary>
    private static async Task<string?> ApplicantStepAsync(WorkflowDbContext db, WorkflowExecution execution, string actor, List<TaskRecord> open, CancellationToken ct)
    {
        var done = await db.Tasks.Where(t => t.InstanceId == execution.Instance.Id && t.CompletedBy == actor && t.Status == TaskStatuses.Completed)
            .OrderByDescending(t => t.CompletedAt).Select(t => t.ActivityId).ToListAsync(ct);
        return done.FirstOrDefault(step => open.All(t => execution.Graph.Ancestors(t.ActivityId).Contains(step)));
    }
}
