namespace PdsWorkflow.Workflows.Forms;

/// <param name="Field">Path of the value, e.g. "contactPhone", "items[2].length" (rows count from 0).</param>
/// <param name="Code">Stable English code for clients, e.g. "required", "uscc.checkDigit", "readOnly".</param>
/// <param name="Message">zh-CN, naming the field by its label.</param>
public sealed record FormError(string Field, string Code, string Message)
{
    public override string ToString() => $"{Field} [{Code}] {Message}";
}
