namespace PdsWorkflow.Workflows.Runtime;

public enum WorkflowErrorKind
{
    NotFound,
    Conflict,
    Invalid,
    Forbidden,
}

/// <summary>An expected failure: a stable English code and a zh-CN title and detail the API turns into problem details.</summary>
public sealed record WorkflowError(WorkflowErrorKind Kind, string Code, string Title, string Detail)
{
    public IReadOnlyList<DefinitionError> Errors { get; init; } = [];
}

/// <summary>Either a value or an expected failure; exceptions are kept for the unexpected.</summary>
public readonly struct WorkflowResult<T>
{
    private readonly T? _value;

    private WorkflowResult(T? value, WorkflowError? error)
    {
        _value = value;
        Error = error;
    }

    public WorkflowError? Error { get; }
    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The operation failed: {Error!.Code} {Error.Detail}");

    public static implicit operator WorkflowResult<T>(T value) => new(value, null);
    public static implicit operator WorkflowResult<T>(WorkflowError error) => new(default, error);

    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({Error!.Code}: {Error.Detail})";
}

/// <summary>A problem in a definition, named by activity and input where it has one.</summary>
public sealed record DefinitionError(string Code, string Message, string? ActivityId = null, string? Input = null);

internal static class WorkflowErrors
{
    public static WorkflowError DefinitionNotFound(string definitionId) =>
        new(WorkflowErrorKind.NotFound, "definition_not_found", "流程定义不存在", $"找不到流程定义“{definitionId}”。");

    public static WorkflowError VersionNotFound(string definitionId, int version) =>
        new(WorkflowErrorKind.NotFound, "definition_version_not_found", "流程版本不存在", $"流程定义“{definitionId}”没有版本 {version}。");

    public static WorkflowError NoPublishedVersion(string definitionId) =>
        new(WorkflowErrorKind.Conflict, "definition_not_published", "流程未发布", $"流程定义“{definitionId}”没有已发布的版本，不能发起。");

    public static WorkflowError InvalidDefinition(string definitionId, IReadOnlyList<DefinitionError> errors) =>
        new(WorkflowErrorKind.Invalid, "definition_invalid", "流程定义校验未通过",
            $"流程定义“{definitionId}”有 {errors.Count} 处错误，不能发布。") { Errors = errors };

    public static WorkflowError InstanceNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "instance_not_found", "流程实例不存在", $"找不到流程实例 {id}。");

    public static WorkflowError BookmarkNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "bookmark_not_found", "等待点不存在", $"找不到等待点 {id}。");

    public static WorkflowError BookmarkClosed(Guid id, string status, string? by, DateTime? at) =>
        new(WorkflowErrorKind.Conflict, "bookmark_already_" + status.ToLowerInvariant(), "该环节已被处理",
            $"等待点 {id} 已{(status == BookmarkStatus.Cancelled ? "取消" : "处理")}" +
            (by is null ? "" : $"（{by}，{at:yyyy-MM-dd HH:mm:ss} UTC）") + "，不能重复处理。");

    public static WorkflowError InstanceNotRunning(Guid id, string status) =>
        new(WorkflowErrorKind.Conflict, "instance_not_running", "流程实例不在运行中", $"流程实例 {id} 当前状态为 {status}，不能继续执行。");

    public static WorkflowError IncidentNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "incident_not_found", "故障记录不存在", $"找不到故障记录 {id}。");

    public static WorkflowError IncidentNotOpen(Guid id, string status) =>
        new(WorkflowErrorKind.Conflict, "incident_not_open", "故障已处理", $"故障记录 {id} 当前状态为 {status}，不能重试。");

    public static WorkflowError ConcurrentUpdate() =>
        new(WorkflowErrorKind.Conflict, "concurrent_update", "数据已被他人修改", "流程实例已被同时修改，请刷新后重试。");
}
