using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Reopen", Category = CategoryName, DisplayName = "重新编目",
    Description = "部门收到注册退回后，把目录改回草稿以修改平台指出的问题（注册退回 → 草稿）。")]
[Outcomes(Done, Refused)]
public sealed class ReopenCatalogEntry : CatalogEntryActivity
{
    [Input(DisplayName = "说明", UIHint = UIHints.Code)]
    public Input<string?> Comment { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.ReopenAsync(entryId, context.Get(Comment), cancellationToken);
}
