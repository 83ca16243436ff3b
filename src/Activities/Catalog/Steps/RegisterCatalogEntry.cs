using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Register", Category = CategoryName, DisplayName = "提交注册",
    Description = "编审通过后，部门把目录提交平台注册，等待平台管理员审核（编审中 → 已注册）。")]
[Outcomes(Done, Refused)]
public sealed class RegisterCatalogEntry : CatalogEntryActivity
{
    [Input(DisplayName = "说明", UIHint = UIHints.Code)]
    public Input<string?> Comment { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.RegisterAsync(entryId, context.Get(Comment), cancellationToken);
}
