using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Submit", Category = CategoryName, DisplayName = "提交编审",
    Description = "编目人员把目录草稿提交部门管理员编审（草稿 → 编审中）；目录不是草稿时走“不通过”。")]
[Outcomes(Done, Refused)]
public sealed class SubmitCatalogEntry : CatalogEntryActivity
{
    [Input(DisplayName = "说明", UIHint = UIHints.Code)]
    public Input<string?> Comment { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.SubmitAsync(entryId, context.Get(Comment), cancellationToken);
}
