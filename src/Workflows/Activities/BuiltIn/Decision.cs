using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.Decision, Category = BuiltInTypes.ControlFlow, DisplayName = "条件判断", Description = "按条件表达式的真假走“是”或“否”分支。")]
[Outcomes(True, False)]
[Replayable]
public sealed class Decision : Activity
{
    public const string True = "True";
    public const string False = "False";

    [Input(DisplayName = "条件", Description = "JavaScript 表达式，例如 variables.shareType === 'conditional'", UIHint = UIHints.Code, Required = true)]
    public Input<bool> Condition { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete(context.Get(Condition) ? True : False);
        return ValueTask.CompletedTask;
    }
}
