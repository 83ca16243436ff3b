using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.Start, Category = BuiltInTypes.ControlFlow, DisplayName = "开始", Description = "流程从这里开始；每个流程必须有且只有一个开始环节。")]
[Replayable]
public sealed class Start : Activity
{
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }
}
