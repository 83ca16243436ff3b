using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Why a task command was refused: a stable code and a zh-CN reason.</summary>
internal static class TaskErrors
{
    public static WorkflowError NotFound(Guid id) => new(WorkflowErrorKind.NotFound, "task_not_found", "待办不存在", $"找不到待办 {id}。");

    public static WorkflowError NotOpen(TaskRecord task) => new(WorkflowErrorKind.Conflict, "task_not_open", "待办已办结",
        task.Status switch
        {
            TaskStatuses.Completed => $"该待办已由 {task.CompletedBy} 于 {Local(task.CompletedAt)} 办理，不能重复办理。",
            TaskStatuses.Cancelled => "该待办已撤销（环节已由他人决定、被退回或流程已结束）。",
            TaskStatuses.Waiting => "该待办正在等待加签人先行办理。",
            TaskStatuses.Pending => "该待办尚未轮到您办理（前一位审批人还未同意）。",
            _ => $"该待办当前状态为 {task.Status}。",
        });

    public static WorkflowError NotCandidate(string actor) =>
        new(WorkflowErrorKind.Forbidden, "not_task_holder", "无权办理", $"{actor} 不是该待办的办理人或候选人。");

    public static WorkflowError ClaimedByOther(TaskRecord task) =>
        new(WorkflowErrorKind.Conflict, "task_claimed_by_other", "待办已被认领", $"该待办已被 {task.AssigneeId} 认领。");

    public static WorkflowError Delegated(TaskRecord task, string actor) => new(WorkflowErrorKind.Conflict, "task_delegated", "待办已委派",
        actor == task.OwnerId
            ? $"该待办已委派给 {task.AssigneeId} 办理，待其办理完成交回后才能继续。"
            : "受委派人只能填写意见并“办理完成”交回委派人，不能直接审批、转办或退回。");

    public static WorkflowError ReasonRequired(string what) =>
        new(WorkflowErrorKind.Invalid, "reason_required", "请填写理由", $"{what}时必须填写理由。");

    public static WorkflowError Invalid(string code, string detail) => new(WorkflowErrorKind.Invalid, code, "操作无效", detail);

    public static WorkflowError Conflict(string code, string detail) => new(WorkflowErrorKind.Conflict, code, "当前不能进行该操作", detail);

    public static WorkflowError Forbidden(string code, string detail) => new(WorkflowErrorKind.Forbidden, code, "无权进行该操作", detail);

    /// <summary>The refusal with the people it names by sign-in name (who claimed, decided or holds the task) named by their names.</summary>
    public static async Task<WorkflowError> NamedAsync(WorkflowDbContext db, WorkflowError error, IEnumerable<string?> people, CancellationToken ct)
    {
        var ids = people.OfType<string>().Distinct().Where(id => error.Detail.Contains(id, StringComparison.Ordinal)).ToList();
        if (ids.Count == 0) return error;
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var detail = ids.OrderByDescending(id => id.Length)
            .Aggregate(error.Detail, (text, id) => names.TryGetValue(id, out var name) ? text.Replace(id, name, StringComparison.Ordinal) : text);
        return error with { Detail = detail };
    }

    private static string Local(DateTime? utc) =>
        utc is { } value ? new DateTimeOffset(value, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm") : "";
}
