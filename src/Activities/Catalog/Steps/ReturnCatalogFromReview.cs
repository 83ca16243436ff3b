using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.ReturnFromReview", Category = CategoryName, DisplayName = "编审退回",
    Description = "部门管理员编审不通过，把目录退回编目人员修改（编审中 → 草稿），须写明理由。")]
[Outcomes(Done, Refused)]
public sealed class ReturnCatalogFromReview : CatalogEntryActivity
{
    [Input(DisplayName = "退回理由", Description = "例如 outputs.review.comment", UIHint = UIHints.Code, Required = true)]
    public Input<string> Reason { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.ReturnFromReviewAsync(entryId, context.Get(Reason) ?? "", cancellationToken);
}
