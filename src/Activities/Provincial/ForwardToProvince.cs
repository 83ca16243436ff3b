using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Provincial;

/// <summary>
/// 代理转交 (000 五): puts the transfer package in the outbox, in the burst's transaction, under its correlation id, and
/// completes; the definition then waits for the <see cref="ProvincialDecisions.EventName"/> event with that id as the
/// correlation key. The id derives from the execution, so a retried execution queues the same message once.
/// </summary>
[Activity(Type, Category = ExchangeCategories.Provincial, DisplayName = "转交省级平台",
    Description = "把申请材料打包，经发件箱转交省级部门（代理转交），以关联号等待省级答复。")]
public sealed class ForwardToProvince : Activity
{
    public const string Type = "Pds.Provincial.Forward";

    [Input(DisplayName = "申请材料", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Package { get; set; } = default!;

    [Output(DisplayName = "关联号")]
    public Output<string> CorrelationId { get; set; } = default!;

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var form = context.Get(Package) ?? throw new WorkflowFaultException("转交省级平台需要申请材料（申请表），当前为空。");
        var options = context.GetRequiredService<IOptions<ProvincialOptions>>().Value;
        var attachments = await context.Db.Attachments.AsNoTracking().Where(a => a.InstanceId == context.InstanceId)
            .OrderBy(a => a.UploadedAt).ThenBy(a => a.FileName).ToListAsync(context.CancellationToken);
        var correlationId = ProvincialPackage.CorrelationId(context.ExecutionId);
        var package = ProvincialPackage.Build(correlationId, options.PlatformCode, context.InstanceId, context.Initiator, context.Actor,
            context.Clock.GetUtcNow(), form, attachments);

        context.EnqueueMessage(ProvincialForwardHandler.Type, package, key: correlationId);
        context.Set(CorrelationId, correlationId);
        context.AddJournalNote($"已转交省级平台，关联号 {correlationId}，附件 {attachments.Count} 份" +
            (attachments.Count == 0 ? "" : "（SHA-256 " + string.Join("、", attachments.Select(a => a.Sha256[..12])) + "…）"));
        context.Complete(Done);
    }
}
