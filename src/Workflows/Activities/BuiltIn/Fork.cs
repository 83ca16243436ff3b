using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.Fork, Category = BuiltInTypes.ControlFlow, DisplayName = "并行分支", Description = "同时走所有分支；用“汇聚”等待它们。")]
[Replayable]
public sealed class Fork : Activity
{
    private static readonly string[] DefaultBranches = ["Branch1", "Branch2"];

    [Input(DisplayName = "分支", UIHint = UIHints.StringList, DefaultValue = new[] { "Branch1", "Branch2" }, SupportsExpression = false)]
    public Input<List<string>> Branches { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete([.. context.Get(Branches) ?? [.. DefaultBranches]]);
        return ValueTask.CompletedTask;
    }

    protected internal override IReadOnlyList<string> GetOutcomes(ActivityNode node, ActivityDescriptor descriptor) =>
        ActivityExecutionContext.Convert<List<string>>(node.GetInput("branches")?.Expression.Value) ?? [.. DefaultBranches];
}
