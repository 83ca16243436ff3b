using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>Why the interfaces module refused a command: a stable English code, a zh-CN title and detail.</summary>
public static class InterfaceErrors
{
    public static WorkflowError AuthorizationNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "authorization_not_found", "接口授权不存在", $"找不到接口授权 {id}。");

    public static WorkflowError ApplicationNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "application_not_found", "应用不存在", $"找不到应用 {id}。");

    public static WorkflowError StatusConflict(ApiAuthorizationStatus from, ApiAuthorizationStatus to, string? detail = null) =>
        new(WorkflowErrorKind.Conflict, "authorization_status_conflict", "接口授权状态不允许此操作",
            detail ?? $"接口授权当前为“{StatusNames.Of(from)}”，不能改为“{StatusNames.Of(to)}”。");

    public static WorkflowError ReasonRequired(ApiAuthorizationStatus to) =>
        new(WorkflowErrorKind.Invalid, "reason_required", "请填写原因", $"将接口授权改为“{StatusNames.Of(to)}”须说明原因。");

    public static WorkflowError ConcurrentUpdate() =>
        new(WorkflowErrorKind.Conflict, "concurrent_update", "数据已被他人修改", "该接口授权已被他人同时修改，请刷新后重试。");

    public static WorkflowError Invalid(string code, string detail) =>
        new(WorkflowErrorKind.Invalid, code, "请求参数有误", detail);
}

/// <summary>The statuses as users read them.</summary>
public static class StatusNames
{
    public static string Of(ApiAuthorizationStatus status) => status switch
    {
        ApiAuthorizationStatus.Active => "生效",
        ApiAuthorizationStatus.Suspended => "暂停",
        ApiAuthorizationStatus.Expired => "已到期",
        ApiAuthorizationStatus.Revoked => "已收回",
        ApiAuthorizationStatus.Terminated => "已终止",
        _ => status.ToString(),
    };
}
