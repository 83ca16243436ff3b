using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

/// <summary>A branch: its port (<see cref="Label"/>, recorded in journals), its condition, and the name users read (optional).</summary>
public sealed record SwitchCase(string Label, string Condition)
{
    public string? DisplayName { get; init; }
}

[Activity(BuiltInTypes.Switch, Category = BuiltInTypes.ControlFlow, DisplayName = "多路分支",
    Description = "依次判断各分支条件，走第一个（或全部）满足的分支；都不满足时走“其他情况”。")]
[Replayable]
public sealed class Switch : Activity
{
    public const string Default = "Default";
    public const string MatchFirst = "MatchFirst";
    public const string MatchAny = "MatchAny";

    [Input(DisplayName = "分支", Description = "每个分支一个名称和一个 JavaScript 条件。", UIHint = UIHints.Json, Required = true, SupportsExpression = false)]
    public Input<List<SwitchCase>> Cases { get; set; } = default!;

    [Input(DisplayName = "匹配方式", UIHint = UIHints.Dropdown, DefaultValue = MatchFirst, Options = [MatchFirst, MatchAny], SupportsExpression = false)]
    public Input<string> Mode { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var cases = context.Get(Cases) ?? [];
        var matchAny = context.Get(Mode) == MatchAny;
        var matched = new List<string>();
        foreach (var @case in cases)
        {
            if (!ActivityExecutionContext.Convert<bool>(context.EvaluateScript(@case.Condition))) continue;
            matched.Add(@case.Label);
            if (!matchAny) break;
        }

        context.Complete(matched.Count == 0 ? [Default] : [.. matched]);
        return ValueTask.CompletedTask;
    }

    protected internal override IReadOnlyList<string> GetOutcomes(ActivityNode node, ActivityDescriptor descriptor) =>
        [.. ReadCases(node).Select(c => c.Label), Default];

    protected internal override IEnumerable<DefinitionError> Validate(ActivityNode node, ActivityValidationContext context)
    {
        var cases = ReadCases(node);
        foreach (var duplicate in cases.GroupBy(c => c.Label).Where(g => g.Count() > 1))
            yield return new DefinitionError("duplicate_case", $"分支名称“{duplicate.Key}”重复。", node.Id, "cases");
        foreach (var @case in cases)
        {
            if (string.IsNullOrWhiteSpace(@case.Label))
                yield return new DefinitionError("missing_case_label", "有分支没有名称。", node.Id, "cases");
            if (context.CheckSyntax(@case.Condition) is { } error)
                yield return new DefinitionError("expression_syntax", $"分支“{@case.Label}”的条件 `{@case.Condition}` 有误：{error}", node.Id, "cases");
        }
    }

    private static List<SwitchCase> ReadCases(ActivityNode node) =>
        ActivityExecutionContext.Convert<List<SwitchCase>>(node.GetInput("cases")?.Expression.Value) ?? [];
}
