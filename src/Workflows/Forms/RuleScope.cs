using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>The fields a rule can name (the form's top-level fields, or one table row's columns) and their values.</summary>
internal sealed class RuleScope(
    IReadOnlyDictionary<string, FormField> fields,
    JsonObject values,
    string pathPrefix,
    string labelPrefix,
    Func<string, bool> isEditable,
    IReadOnlySet<string> failed)
{
    public FormField Field(string key) => fields[key];

    public JsonNode? Value(string key) => values[key];

    public string Path(string key) => pathPrefix + key;

    /// <summary>The label in messages: for a table cell, with its table and row (信息项第3行的数据长度).</summary>
    public string Label(string key) => labelPrefix + fields[key].Label;

    public bool IsEditable(string key) => isEditable(key);

    /// <summary>Whether the field already has a field-level error (rules over it then stay silent).</summary>
    public bool HasError(string key) => failed.Contains(key);
}
