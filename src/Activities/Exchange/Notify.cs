using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Exchange;

/// <summary>Tells someone about the case (the applicant of a decision, say) through the outbox, in the burst's transaction.</summary>
[Activity(Type, Category = "通知", DisplayName = "发送通知", Description = "通过发件箱通知指定人员（站内消息、邮件或短信由通知渠道投递）。")]
public sealed class Notify : Activity
{
    public const string Type = "Pds.Notify";

    [Input(DisplayName = "接收人", Description = "用户名；默认申请人", UIHint = UIHints.Code)]
    public Input<string?> To { get; set; } = default!;

    [Input(DisplayName = "标题", Required = true)]
    public Input<string> Subject { get; set; } = default!;

    [Input(DisplayName = "内容", UIHint = UIHints.MultiLine)]
    public Input<string?> Body { get; set; } = default!;

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var to = context.Get(To) ?? context.Initiator ?? throw new InvalidOperationException("通知没有接收人。");
        context.EnqueueMessage("notify.case", new JsonObject
        {
            ["user"] = to,
            ["instanceId"] = context.InstanceId.ToString(),
            ["subject"] = context.Get(Subject),
            ["body"] = context.Get(Body),
        });
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}
