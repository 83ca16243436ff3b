using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Revise", Category = CategoryName, DisplayName = "目录变更",
    Description = "已发布的目录需要变更时，新建一个草稿版本（原发布版本在新版本发布前继续有效）；因法律法规或职能变化而变更的，应在变化之日起10个工作日内更新。")]
[Outcomes(Done, Refused)]
public sealed class ReviseCatalogEntry : CatalogEntryActivity
{
    [Input(DisplayName = "变更原因", UIHint = UIHints.Code, Required = true)]
    public Input<string> Reason { get; set; } = default!;

    [Input(DisplayName = "新版本目录信息", Description = "为空时以当前发布版本为底稿，例如 variables.form", UIHint = UIHints.Code)]
    public Input<JsonObject?> Data { get; set; } = default!;

    [Input(DisplayName = "法规或职能变化日期", Description = "填写后按工作日计算更新期限", UIHint = UIHints.Code)]
    public Input<DateTimeOffset?> ChangeOccurredAt { get; set; } = default!;

    [Output(DisplayName = "新版本目录信息", Description = "新草稿版本的目录信息，供后续编目环节的表单使用（例如设为 variables.form）")]
    public Output<JsonObject?> DraftData { get; set; } = default!;

    [Output(DisplayName = "更新期限", Description = "按法规或职能变化日期计算的目录更新期限（《政务数据管理办法》第十一条）")]
    public Output<DateTimeOffset?> UpdateDueAt { get; set; } = default!;

    protected override async Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken)
    {
        var revised = await session.ReviseAsync(entryId, new CatalogRevision(context.Get(Reason) ?? "", context.Get(Data), context.Get(ChangeOccurredAt)),
            cancellationToken);
        if (revised.IsSuccess)
        {
            context.Set(DraftData, (JsonObject)revised.Value.Data.DeepClone());
            context.Set(UpdateDueAt, revised.Value.UpdateDueAt);
        }

        return revised;
    }
}
