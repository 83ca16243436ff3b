using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>The operations a clock refuses, with stable codes and zh-CN texts the API turns into problem details.</summary>
internal static class ClockRefusals
{
    public static WorkflowError Stopped(string action) =>
        new(WorkflowErrorKind.Conflict, "clock_stopped", "计时已停止", $"该计时已停止（已办结），不能再{action}。");

    public static WorkflowError WithApplicant(string action) =>
        new(WorkflowErrorKind.Conflict, "clock_with_applicant", "已退回补正",
            $"材料已退回申请人补正，计时暂停，不能{action}；请待申请人重新提交后再办理。");

    public static WorkflowError NotReturned() =>
        new(WorkflowErrorKind.Conflict, "clock_not_returned", "未退回补正", "当前没有退回补正，不能重新提交补正材料。");

    public static WorkflowError OutOfOrder(DateTimeOffset at, DateTimeOffset last) =>
        new(WorkflowErrorKind.Conflict, "clock_out_of_order", "操作时间早于上次记录",
            $"操作时间 {ZhText.DateTime(at)} 早于该计时上一次记录的时间 {ZhText.DateTime(last)}，请刷新后重试。");

    public static WorkflowError ReasonRequired(string what) =>
        new(WorkflowErrorKind.Invalid, "reason_required", "请填写理由", $"{what}必须说明理由。");

    public static WorkflowError ExtensionDaysInvalid(int workingDays) =>
        new(WorkflowErrorKind.Invalid, "extension_days_invalid", "延期天数无效",
            $"延期的工作日数应为正整数，实际为 {workingDays}。");

    public static WorkflowError ExtensionPending(ClockEvent pending) =>
        new(WorkflowErrorKind.Conflict, "extension_pending", "已有待审批的延期申请",
            $"{pending.Actor}于 {ZhText.DateTime(pending.At)} 申请延期{pending.WorkingDays}个工作日，尚未审批；同一时间只能有一个延期申请。");

    public static WorkflowError NoPendingExtension() =>
        new(WorkflowErrorKind.Conflict, "extension_not_pending", "没有待审批的延期申请", "当前没有待审批的延期申请。");

    // 行政许可法 第四十二条: an extension is granted because the work cannot be finished within the period, so it is
    // asked for within it; allowing it afterwards would turn a late stage into an on-time one.
    public static WorkflowError ExtensionAfterDeadline(DateTimeOffset deadline) =>
        new(WorkflowErrorKind.Conflict, "extension_after_deadline", "已超过办理时限",
            $"截止时间 {ZhText.DateTime(deadline)} 已过，不能再申请延期；延期应在办理时限内申请。");
}
