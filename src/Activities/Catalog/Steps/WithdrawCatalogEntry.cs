using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Withdraw", Category = CategoryName, DisplayName = "撤销发布",
    Description = "把已发布的目录撤出资源目录（已发布 → 已撤销发布），须写明理由。")]
[Outcomes(Done, Refused)]
public sealed class WithdrawCatalogEntry : CatalogEntryActivity
{
    [Input(DisplayName = "撤销理由", UIHint = UIHints.Code, Required = true)]
    public Input<string> Reason { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.WithdrawAsync(entryId, context.Get(Reason) ?? "", cancellationToken);
}
