using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.SaveDraft", Category = CategoryName, DisplayName = "编目（保存目录草稿）",
    Description = "按“政务信息资源目录”表单校验目录信息（13项核心元数据和信息项），新建目录或更新其草稿；不符合表单规则时走“不通过”，逐项给出字段错误。")]
[Outcomes(Done, Refused)]
public sealed class SaveCatalogDraft : CatalogVersionActivity
{
    [Input(DisplayName = "目录编号", Description = "为空时新建目录；否则更新该目录的草稿，例如 variables.catalogEntryId", UIHint = UIHints.Code)]
    public Input<string?> EntryId { get; set; } = default!;

    [Input(DisplayName = "提供方部门", Description = "新建目录时必填：提供方部门的组织编号，例如 variables.providerOrgUnitId", UIHint = UIHints.Code)]
    public Input<string?> ProviderOrgUnitId { get; set; } = default!;

    [Input(DisplayName = "目录信息", Description = "catalog-entry 表单数据，例如 variables.form", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Data { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        var data = context.Get(Data) ?? [];
        if (context.Get(EntryId) is { Length: > 0 } text)
        {
            var id = ParseEntryId(text);
            return id.IsSuccess ? session.UpdateDraftAsync(id.Value, data, cancellationToken) : Task.FromResult<WorkflowResult<CatalogVersionView>>(id.Error!);
        }

        return context.Get(ProviderOrgUnitId) is { Length: > 0 } provider
            ? session.CreateAsync(provider, data, cancellationToken)
            : Task.FromResult<WorkflowResult<CatalogVersionView>>(CatalogErrors.Invalid("provider_required", "新建目录时必须指定提供方部门。"));
    }
}
