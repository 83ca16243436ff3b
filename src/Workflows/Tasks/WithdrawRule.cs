using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// 撤回: the applicant may take a case back only while nobody after them has done anything with it — no step decided
/// since the applicant last submitted (a provider's approval cannot be undone by withdrawing), and no open step acted on
/// (claimed, commented…). The one rule for the command and for the actions a tracking view offers.
/// </summary>
public static class WithdrawRule
{
    private static readonly string[] Decisions = [UserTask.Approve, UserTask.Reject, "Return"];

    /// <summary>Why the applicant may not withdraw now, or null when they may.</summary>
    public static async Task<WorkflowError?> RefusalAsync(WorkflowDbContext db, Guid instanceId, string? initiator, string actor, CancellationToken ct)
    {
        if (initiator != actor) return TaskErrors.Forbidden("not_applicant", "只有申请人本人可以撤回申请。");
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(ct);
        var open = tasks.Where(t => t.Status is TaskStatuses.Open or TaskStatuses.Waiting).ToList();
        if (open.Count == 0) return TaskErrors.Conflict("nothing_to_withdraw", "当前没有等待审批的环节，不能撤回。");

        var submittedAt = tasks.Where(t => t.Status == TaskStatuses.Completed && t.CompletedBy == actor && t.AssigneeId == actor && t.Outcome == UserTask.Approve)
            .Select(t => t.CompletedAt).Max();
        var decided = tasks.Where(t => t.Status == TaskStatuses.Completed && t.CompletedBy != actor && t.CompletedAt > submittedAt
                && t.Outcome is { } outcome && Decisions.Contains(outcome))
            .OrderBy(t => t.CompletedAt).FirstOrDefault();
        if (decided is not null)
        {
            var who = await db.Users.AsNoTracking().Where(u => u.Id == decided.CompletedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "审批人";
            return TaskErrors.Conflict("next_step_decided",
                $"“{decided.Title}”已由{who}办理（{(decided.Outcome == UserTask.Approve ? "同意" : decided.Outcome == UserTask.Reject ? "不同意" : "退回")}），申请不能再撤回；如需修改请联系正在办理的环节退回。");
        }

        var openIds = open.Select(t => t.Id).ToList();
        var acted = await db.TaskActions.AsNoTracking().Where(a => a.TaskId != null && openIds.Contains(a.TaskId.Value) && !TaskActions.Passive.Contains(a.Action))
            .OrderBy(a => a.At).ThenBy(a => a.Sequence).FirstOrDefaultAsync(ct);
        if (acted is null) return null;
        var holder = await db.Users.AsNoTracking().Where(u => u.Id == acted.Actor).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "审批人";
        return TaskErrors.Conflict("next_step_acted", $"下一环节已由{holder}开始办理，申请不能再撤回；如需修改请联系审批人退回。");
    }
}
