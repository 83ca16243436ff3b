using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>A choice of a select or multiselect field.</summary>
/// <param name="Value">A JSON string, number or boolean; what is stored in the data.</param>
/// <param name="Label">zh-CN, what the user sees.</param>
public sealed record FormOption(JsonNode Value, string Label);
