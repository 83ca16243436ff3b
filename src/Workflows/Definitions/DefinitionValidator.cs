using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Activities.BuiltIn;
using PdsWorkflow.Workflows.Expressions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Definitions;

/// <summary>The checks a definition must pass before it can be published. Each error names the activity and input.</summary>
public sealed class DefinitionValidator(ActivityRegistry registry, IExpressionEvaluator evaluator, IServiceProvider services)
{
    private const string InPort = "In";

    public IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition)
    {
        var errors = new List<DefinitionError>();
        var activities = definition.Root.Activities;
        var context = new ActivityValidationContext(definition, evaluator.CheckSyntax, services);

        foreach (var duplicate in definition.Variables.GroupBy(v => v.Name).Where(g => g.Count() > 1))
            errors.Add(new DefinitionError("duplicate_variable", $"变量“{duplicate.Key}”重复声明。"));
        foreach (var duplicate in activities.GroupBy(a => a.Id).Where(g => g.Count() > 1))
            errors.Add(new DefinitionError("duplicate_activity_id", $"环节编号“{duplicate.Key}”重复。", duplicate.Key));

        if (Tasks.BusinessNumbers.PrefixProblem(definition.BusinessNumberPrefix) is { } prefixProblem)
            errors.Add(new DefinitionError("invalid_business_number_prefix", prefixProblem, null, "businessNumberPrefix"));

        var starts = activities.Where(a => a.Type == BuiltInTypes.Start).ToList();
        if (starts.Count == 0) errors.Add(new DefinitionError("no_start", "流程没有“开始”环节。"));
        foreach (var extra in starts.Skip(1))
            errors.Add(new DefinitionError("multiple_starts", $"流程只能有一个“开始”环节，{Describe(extra)}是多余的。", extra.Id));

        var outcomes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var node in activities)
        {
            var descriptor = registry.Find(node.Type);
            if (descriptor is null)
            {
                errors.Add(new DefinitionError("unknown_activity_type", $"{Describe(node)}的类型“{node.Type}”不存在。", node.Id));
                continue;
            }

            outcomes[node.Id] = registry.GetOutcomes(descriptor, node);
            errors.AddRange(ValidateInputs(node, descriptor));
            errors.AddRange(registry.Create(descriptor, node).Validate(node, context));
        }

        var ids = activities.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var connection in definition.Root.Connections)
        {
            var (source, target) = (connection.Source, connection.Target);
            if (!ids.Contains(source.Activity))
                errors.Add(new DefinitionError("unknown_connection_source", $"连线的起点“{source.Activity}”不存在。", source.Activity));
            else if (outcomes.TryGetValue(source.Activity, out var ports) && !ports.Contains(source.Port ?? Activity.Done))
                errors.Add(new DefinitionError("unknown_port",
                    $"{Describe(activities.First(a => a.Id == source.Activity))}没有出口“{source.Port}”（可用：{string.Join("、", ports)}）。",
                    source.Activity, source.Port));

            if (!ids.Contains(target.Activity))
                errors.Add(new DefinitionError("unknown_connection_target", $"连线的终点“{target.Activity}”不存在。", source.Activity));
            else if (target.Port is { } port && port != InPort)
                errors.Add(new DefinitionError("unknown_port", $"{Describe(activities.First(a => a.Id == target.Activity))}没有入口“{port}”。",
                    target.Activity, port));
        }

        if (starts.Count > 0)
        {
            var reachable = Reachable(definition, starts[0].Id);
            foreach (var node in activities.Where(a => !reachable.Contains(a.Id)))
                errors.Add(new DefinitionError("unreachable_activity", $"{Describe(node)}从“开始”无法到达。", node.Id));
        }

        return errors;
    }

    /// <summary>
    /// What does not stop publishing but is most likely a mistake (issue #18): an outcome with no connection (the case ends
    /// there without a word), a UserTask's <c>Escalated</c> excepted unless its SLA takes that outcome. Codes
    /// <c>unconnected_outcome</c> and <c>dead_end</c> (a step no connection leaves, other than an end).
    /// </summary>
    public IReadOnlyList<DefinitionError> Warnings(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var warnings = new List<DefinitionError>();
        var connected = definition.Root.Connections.Select(c => (c.Source.Activity, c.Source.Port ?? Activity.Done)).ToHashSet();
        foreach (var node in definition.Root.Activities.Where(a => a.Type is not (BuiltInTypes.End or BuiltInTypes.Fault)))
        {
            if (registry.Find(node.Type) is not { } descriptor) continue;
            var ports = registry.GetOutcomes(descriptor, node).Where(p => !(node.Type == Tasks.UserTask.TypeName && p == Tasks.UserTask.Escalated && !TakesEscalation(node))).ToList();
            var open = ports.Where(p => !connected.Contains((node.Id, p))).ToList();
            if (open.Count == 0) continue;
            if (open.Count == ports.Count)
                warnings.Add(new DefinitionError("dead_end", $"{Describe(node)}没有任何出口连线：流程走到这里就结束，请连到下一环节或“结束”。", node.Id));
            else
                warnings.AddRange(open.Select(p => new DefinitionError("unconnected_outcome",
                    $"{Describe(node)}的出口“{PortName(node, p)}”没有连线：走到该出口时流程就此结束。", node.Id, p)));
        }

        return warnings;
    }

    private static bool TakesEscalation(ActivityNode node) =>
        node.GetInput("sla")?.Expression.Value?["escalation"]?["takeEscalationOutcome"] is System.Text.Json.Nodes.JsonValue take && take.TryGetValue<bool>(out var yes) && yes;

    /// <summary>A port as users read it: a Switch case's display name, else the outcome's Chinese name.</summary>
    private static string PortName(ActivityNode node, string port) =>
        (node.Type == BuiltInTypes.Switch
            ? ActivityExecutionContext.Convert<List<SwitchCase>>(node.GetInput("cases")?.Expression.Value)?.FirstOrDefault(c => c.Label == port)?.DisplayName
            : null) ?? OutcomeNames.Of(port);

    private IEnumerable<DefinitionError> ValidateInputs(ActivityNode node, ActivityDescriptor descriptor)
    {
        foreach (var input in descriptor.Inputs)
        {
            var value = node.GetInput(input.Name);
            if (value is null || IsEmpty(value))
            {
                if (input.Required && input.DefaultValue is null)
                    yield return new DefinitionError("missing_required_input", $"{Describe(node)}缺少必填项“{input.DisplayName}”。", node.Id, input.Name);
                continue;
            }

            if (!value.Expression.IsJavaScript) continue;
            if (!input.SupportsExpression)
            {
                yield return new DefinitionError("expression_not_supported", $"{Describe(node)}的“{input.DisplayName}”只能填写常量。", node.Id, input.Name);
                continue;
            }

            var script = value.Expression.Value?.ToString() ?? "";
            if (evaluator.CheckSyntax(script) is { } error)
                yield return new DefinitionError("expression_syntax", $"{Describe(node)}的“{input.DisplayName}”表达式 `{script}` 有误：{error}", node.Id, input.Name);
        }
    }

    private static bool IsEmpty(InputValue value) =>
        value.Expression.Value is null || (value.Expression.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s));

    private static HashSet<string> Reachable(WorkflowDefinition definition, string startId)
    {
        var next = definition.Root.Connections.ToLookup(c => c.Source.Activity, c => c.Target.Activity, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { startId };
        var stack = new Stack<string>([startId]);
        while (stack.TryPop(out var current))
        {
            foreach (var target in next[current])
                if (seen.Add(target)) stack.Push(target);
        }

        return seen;
    }

    /// <summary>A step as users know it: by its name; by its id only when it has none (the designer selects the node from the error).</summary>
    private static string Describe(ActivityNode node) => node.Name is { Length: > 0 } name ? $"环节“{name}”" : $"环节“{node.Id}”";
}
