using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// 同意 and 不同意, alone or in bulk, and the step's form saved as a draft. A vote is recorded on the task, then the
/// step's group decides (<see cref="GroupDecision"/>): when it has, the other tasks of the step are cancelled and the
/// engine resumes the step's bookmark with the decision, in the same transaction.
/// </summary>
internal sealed class TaskDecisions(TaskCommands commands, TaskForms forms)
{
    /// <summary>同意, optionally with the step's editable form fields. A pool task is claimed by whoever decides it.</summary>
    public Task<WorkflowResult<TaskView>> ApproveAsync(Guid taskId, string actor, string? comment, JsonObject? form, CancellationToken cancellationToken) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
            // Approving checks the step's form even without new values: what the step may edit must be complete.
            await forms.ApplyAsync(c, form ?? (c.Task.FormId is null ? null : []), draft: false, ct) is { } invalid
                ? invalid
                : await VoteAsync(c, Votes.Approve, comment, ct), cancellationToken);

    /// <summary>不同意: the reason is mandatory (001 第十条: a rejection must state its reason).</summary>
    public Task<WorkflowResult<TaskView>> RejectAsync(Guid taskId, string actor, string? reason, JsonObject? form, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.ReasonRequired("不同意"))
            : commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
                await forms.ApplyAsync(c, form, draft: true, ct) is { } invalid ? invalid : await VoteAsync(c, Votes.Reject, reason, ct), cancellationToken);

    /// <summary>Saves the step's editable form fields as a draft: required fields may still be empty, everything else is checked.</summary>
    public Task<WorkflowResult<TaskView>> SaveFormAsync(Guid taskId, string actor, JsonObject form, CancellationToken cancellationToken) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
            return await forms.ApplyAsync(c, form, draft: true, ct) is { } invalid ? invalid : commands.View(c.Task);
        }, cancellationToken);

    /// <summary>Approves several tasks, each in its own transaction, with one audit entry per task.</summary>
    public async Task<IReadOnlyList<BulkItemResult>> BulkApproveAsync(IReadOnlyList<Guid> taskIds, string actor, string? comment, CancellationToken cancellationToken)
    {
        var results = new List<BulkItemResult>();
        foreach (var id in taskIds.Distinct())
        {
            var result = await ApproveAsync(id, actor, comment, null, cancellationToken);
            results.Add(new BulkItemResult(id, result.IsSuccess, result.Error?.Code, result.Error?.Detail));
        }

        return results;
    }

    /// <summary>Approve or reject: records the vote, then lets the step's group decide.</summary>
    private async Task<WorkflowResult<TaskView>> VoteAsync(TaskCommand c, string vote, string? comment, CancellationToken ct)
    {
        if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
        if (c.Execution.Graph.Find(c.Task.ActivityId) is { } node && UserTask.IsApplicantStep(node))
        {
            Deadlines.CaseClock.Resubmit(c.Execution, c.Actor);
            // Sending the application (not withdrawing it from its own step) is what submits it.
            if (vote == Votes.Approve) await BusinessNumbers.AssignAsync(c.Execution, ct);
        }

        var opinion = c.Task.SignerKind == SignerKinds.Before;
        c.Change(vote == Votes.Approve ? TaskActions.Approve : TaskActions.Reject, comment, () =>
        {
            c.Task.Complete(opinion ? Votes.Opinion : vote, vote == Votes.Approve ? UserTask.Approve : UserTask.Reject, comment, c.Actor, c.Now);
            if (c.Clock?.Stop(commands.Calendar, c.NowOffset, c.Actor) is { IsSuccess: true } stopped) c.Clock = stopped.Value.Clock;
        });

        var group = await c.GroupAsync(ct);
        if (opinion)
        {
            // An earlier signer's opinion hands the step back to the one who asked for it.
            var anchor = group.Single(t => t.Id == c.Task.AnchorTaskId);
            if (anchor.Status == TaskStatuses.Waiting && !group.Any(t => t.AnchorTaskId == anchor.Id && t.SignerKind == SignerKinds.Before && t.IsOpen))
                Activate(c, anchor, "前加签人已提出意见");
            return commands.View(c.Task);
        }

        if (vote == Votes.Approve)
            foreach (var later in group.Where(t => t.AnchorTaskId == c.Task.Id && t.SignerKind == SignerKinds.After && t.Status == TaskStatuses.Pending))
                Activate(c, later, "前一审批人已同意，轮到后加签人");

        if (GroupDecision.Decide(group) is not { } decision) return commands.View(c.Task);
        foreach (var other in group.Where(t => TaskStatuses.IsActive(t.Status)))
            c.Consequence(other, TaskActions.Cancelled, "system", "本环节已有决定", () => other.Cancel(c.Now));

        var decidedBy = group.Where(t => t.Vote == decision).Select(t => t.CompletedBy).OfType<string>().Distinct();
        var payload = new JsonObject
        {
            ["decision"] = decision == Votes.Approve ? UserTask.Approve : UserTask.Reject,
            ["comment"] = comment,
            ["decidedBy"] = new JsonArray(decidedBy.Select(u => (JsonNode)u).ToArray()),
        };
        var resumed = await commands.Engine.ResumeAsync(c.Execution, c.Task.BookmarkId, payload, ct);
        return resumed.IsSuccess ? commands.View(c.Task) : resumed.Error!;
    }

    /// <summary>A waiting task's earlier signers are done, or a later signer's turn came: it opens, and its holder is told.</summary>
    internal static void Activate(TaskCommand c, TaskRecord task, string why)
    {
        c.Consequence(task, TaskActions.Activated, "system", why, task.Activate);
        if (task.AssigneeId is { } assignee) c.Notify(assignee, "notify.task-assigned", task);
    }
}
