using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>What a <see cref="ICustomRule"/> sees: its bound fields' normalised values, paths and labels.</summary>
public sealed class CustomRuleContext
{
    private readonly RuleScope _scope;
    private readonly CustomRule _rule;
    private readonly List<FormError> _errors;

    internal CustomRuleContext(RuleScope scope, CustomRule rule, List<FormError> errors)
    {
        _scope = scope;
        _rule = rule;
        _errors = errors;
    }

    public JsonObject? Args => _rule.Args;

    public bool IsBound(string role) => _rule.Fields.ContainsKey(role);

    public FormField Field(string role) => _scope.Field(Key(role));

    /// <summary>The normalised value, or null when the field is empty or the role is not bound.</summary>
    public JsonNode? Value(string role) => IsBound(role) ? _scope.Value(Key(role)) : null;

    public string Path(string role) => _scope.Path(Key(role));

    public string Label(string role) => _scope.Label(Key(role));

    /// <summary>Path of a cell of the table bound to <paramref name="role"/>, e.g. seasonalWindows[1].start.</summary>
    public string CellPath(string role, int row, string column) => $"{Path(role)}[{row}].{column}";

    /// <summary>Label of a cell of the table bound to <paramref name="role"/>, e.g. 季节性使用时段第2行的开始日期.</summary>
    public string CellLabel(string role, int row, string column)
    {
        var table = Field(role);
        var columnLabel = table.Columns?.FirstOrDefault(candidate => candidate.Key == column)?.Label ?? column;
        return FormText.CellLabel(Label(role), row, columnLabel);
    }

    /// <summary>Reports a problem; the schema's <see cref="FormRule.Message"/>, when set, replaces <paramref name="message"/>.</summary>
    public void AddError(string path, string label, string code, string message) =>
        _errors.Add(new FormError(path, code, FormText.Override(_rule.Message, label, message)));

    private string Key(string role) =>
        _rule.Fields.TryGetValue(role, out var key) ? key : throw new ArgumentException($"The rule {_rule.Name} does not bind the role '{role}'.", nameof(role));
}
