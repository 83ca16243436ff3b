using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.Fault, Category = BuiltInTypes.Errors, DisplayName = "报错", Description = "使流程进入故障状态并记录原因，等待运维人员处理。")]
[Outcomes]
[Replayable]
public sealed class Fault : Activity
{
    [Input(DisplayName = "原因", Required = true)]
    public Input<string> Message { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        throw new WorkflowFaultException(context.Get(Message) ?? "流程报错");
}
