using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// Why the catalog refused a command: a stable English code and a zh-CN title and detail, as the engine's
/// <see cref="WorkflowError"/> (the Host turns it into problem details). Field errors of the form are listed in
/// <see cref="WorkflowError.Errors"/> with the field's path as <see cref="DefinitionError.Input"/>, as task forms do.
/// </summary>
public static class CatalogErrors
{
    public const string FormInvalidCode = "form_invalid";
    public const string StatusConflictCode = "catalog_status_conflict";

    public static WorkflowError EntryNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "catalog_entry_not_found", "资源目录不存在", $"找不到资源目录 {id}。");

    public static WorkflowError VersionNotFound(Guid id, int number) =>
        new(WorkflowErrorKind.NotFound, "catalog_version_not_found", "目录版本不存在", $"资源目录 {id} 没有第{number}版。");

    public static WorkflowError MountNotFound(Guid id) =>
        new(WorkflowErrorKind.NotFound, "catalog_mount_not_found", "挂接资源不存在", $"找不到挂接资源 {id}，或已解除挂接。");

    internal static WorkflowError ProxiedNotPublished(CatalogSource source) =>
        new(WorkflowErrorKind.Conflict, "proxied_entry_not_published", "代理资源已登记但未发布",
            $"来自{source.Department}的资源 {source.ResourceCode} 已登记在市级目录，但当前没有已发布的版本，请在资源目录中处理。");

    public static WorkflowError ProviderNotFound(string orgUnitId) =>
        new(WorkflowErrorKind.Invalid, "provider_not_found", "提供方部门不存在", $"找不到提供方部门“{orgUnitId}”，或该部门已停用。");

    /// <summary>The form's field errors, each under its path (e.g. <c>items[2].length</c>).</summary>
    public static WorkflowError FormInvalid(IReadOnlyList<FormError> errors) =>
        new(WorkflowErrorKind.Invalid, FormInvalidCode, "目录信息填写有误", $"目录信息有 {errors.Count} 处需要修改：{errors[0].Message}")
        {
            Errors = errors.Select(e => new DefinitionError(e.Code, e.Message, null, e.Field)).ToList(),
        };

    public static WorkflowError Field(string field, string code, string message) => FormInvalid([new FormError(field, code, message)]);

    internal static WorkflowError IllegalMove(CatalogVersion version, CatalogAction action)
    {
        var allowed = string.Join("或", CatalogVersion.AllowedFrom(action).Select(s => $"“{CatalogText.Name(s)}”"));
        return new WorkflowError(WorkflowErrorKind.Conflict, StatusConflictCode, "当前状态不能进行该操作",
            $"目录“{version.ResourceName}”第{version.Number}版当前为“{CatalogText.Name(version.Status)}”，不能{CatalogText.Name(action)}" +
            $"（只有{allowed}的版本可以{CatalogText.Name(action)}）。");
    }

    internal static WorkflowError NotEditable(CatalogVersion version) =>
        new(WorkflowErrorKind.Conflict, StatusConflictCode, "当前状态不能进行该操作",
            version.IsOpen
                ? $"目录“{version.ResourceName}”第{version.Number}版当前为“{CatalogText.Name(version.Status)}”，只有草稿可以修改。"
                : $"目录“{version.ResourceName}”第{version.Number}版当前为“{CatalogText.Name(version.Status)}”，不能修改；如需变更，请发起新版本。");

    internal static WorkflowError ReasonRequired(CatalogAction action) =>
        new(WorkflowErrorKind.Invalid, "reason_required", "请填写理由", $"{CatalogText.Name(action)}时必须填写理由。");

    internal static WorkflowError ProblemsRequired() =>
        new(WorkflowErrorKind.Invalid, "problems_required", "请列出发现的问题", "注册退回时必须逐条列出审核发现的问题。");

    internal static WorkflowError OpenVersionExists(CatalogVersion open) =>
        new(WorkflowErrorKind.Conflict, "catalog_version_open", "已有在办的版本",
            $"目录“{open.ResourceName}”已有在办的第{open.Number}版（{CatalogText.Name(open.Status)}），请在该版本上继续办理，不能再发起变更。");

    internal static WorkflowError NeverPublished(CatalogVersion latest) =>
        new(WorkflowErrorKind.Conflict, "catalog_not_published", "目录尚未发布",
            $"目录“{latest.ResourceName}”还没有发布过（第{latest.Number}版为“{CatalogText.Name(latest.Status)}”），请在该版本上继续办理。");

    internal static WorkflowError NotMountable(CatalogVersion latest) =>
        new(WorkflowErrorKind.Conflict, "catalog_not_published", "目录未发布",
            $"目录“{latest.ResourceName}”当前没有已发布的版本（最新第{latest.Number}版为“{CatalogText.Name(latest.Status)}”），只有已发布的目录可以挂接资源。");

    internal static WorkflowError MountExists(CatalogMountKind kind, string target) =>
        new(WorkflowErrorKind.Conflict, "catalog_mount_exists", "资源已挂接", $"该目录已挂接{CatalogText.Name(kind)}“{target}”。");

    internal static WorkflowError Invalid(string code, string detail) => new(WorkflowErrorKind.Invalid, code, "请求参数有误", detail);

    internal static WorkflowError ConcurrentUpdate() =>
        new(WorkflowErrorKind.Conflict, "concurrent_update", "数据已被他人修改", "资源目录已被同时修改，请刷新后重试。");
}
