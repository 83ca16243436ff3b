using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.WaitForEvent, Category = BuiltInTypes.Events, DisplayName = "等待事件",
    Description = "等待一个命名事件（例如省级平台的回执）；有关联键时只接收关联键相同的事件。")]
[Replayable]
public sealed class WaitForEvent : Activity
{
    [Input(DisplayName = "事件名称", Required = true, SupportsExpression = false)]
    public Input<string> EventName { get; set; } = default!;

    [Input(DisplayName = "关联键", Description = "例如 workflow.correlationId", UIHint = UIHints.Code)]
    public Input<string?> CorrelationKey { get; set; } = default!;

    [Output(DisplayName = "事件内容")]
    public Output<JsonNode?> Payload { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.CreateBookmark(BookmarkNames.Event(context.Get(EventName)!), context.Get(CorrelationKey));
        return ValueTask.CompletedTask;
    }

    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        context.Set(Payload, context.ResumePayload);
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}
