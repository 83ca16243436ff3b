using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.SetVariable, Category = BuiltInTypes.Data, DisplayName = "设置变量", Description = "把一个值（常量或表达式结果）存入流程变量。")]
[Replayable]
public sealed class SetVariable : Activity
{
    [Input(DisplayName = "变量", UIHint = UIHints.VariablePicker, Required = true, SupportsExpression = false)]
    public Input<string> Variable { get; set; } = default!;

    [Input(DisplayName = "值", UIHint = UIHints.Code)]
    public Input<JsonNode?> Value { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.SetVariable(context.Get(Variable)!, context.Get(Value));
        context.Complete(Done);
        return ValueTask.CompletedTask;
    }

    protected internal override IEnumerable<DefinitionError> Validate(ActivityNode node, ActivityValidationContext context)
    {
        var name = node.GetInput("variable")?.Expression.Value?.ToString();
        if (!string.IsNullOrWhiteSpace(name) && context.Definition.Variables.All(v => v.Name != name))
            yield return new DefinitionError("unknown_variable", $"变量“{name}”未在流程中声明。", node.Id, "variable");
    }
}
