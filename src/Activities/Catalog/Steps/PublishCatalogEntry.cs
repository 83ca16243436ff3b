using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Publish", Category = CategoryName, DisplayName = "发布目录",
    Description = "平台审核通过后发布目录（已注册 → 已发布）；该目录此前发布的版本同时标记为“已被新版本取代”。")]
[Outcomes(Done, Refused)]
public sealed class PublishCatalogEntry : CatalogEntryActivity
{
    [Input(DisplayName = "说明", UIHint = UIHints.Code)]
    public Input<string?> Comment { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.PublishAsync(entryId, context.Get(Comment), cancellationToken);
}
