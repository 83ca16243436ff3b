using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

/// <summary>Ends the whole instance: any other branch still waiting is cancelled (use a Join to wait for them).</summary>
[Activity(BuiltInTypes.End, Category = BuiltInTypes.ControlFlow, DisplayName = "结束",
    Description = "结束整个流程；仍在等待的其他分支将被取消。需要等待各分支时请先使用“汇聚”。")]
[Outcomes]
[Replayable]
public sealed class End : Activity
{
    [Input(DisplayName = "流程结果", Description = "流程的输出，子流程的结果会交给上级流程。", UIHint = UIHints.Code)]
    public Input<JsonNode?> Result { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Execution.RequestFinish(context.Get(Result));
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
