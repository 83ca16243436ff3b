using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

[Activity("Pds.Catalog.Return", Category = CategoryName, DisplayName = "注册退回",
    Description = "平台审核不通过，平台管理员把目录连同发现的问题退回部门管理员（已注册 → 注册退回），须逐条列出问题。")]
[Outcomes(Done, Refused)]
public sealed class ReturnCatalogRegistration : CatalogEntryActivity
{
    [Input(DisplayName = "发现的问题", Description = "逐条列出，例如 outputs.audit.comment.split('\\n')", UIHint = UIHints.Code, Required = true)]
    public Input<List<string>> Problems { get; set; } = default!;

    protected override Task<WorkflowResult<CatalogVersionView>> RunAsync(ActivityExecutionContext context, CatalogSession session, Guid entryId,
        CancellationToken cancellationToken) =>
        session.ReturnRegistrationAsync(entryId, context.Get(Problems) ?? [], cancellationToken);
}
