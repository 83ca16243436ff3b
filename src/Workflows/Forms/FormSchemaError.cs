namespace PdsWorkflow.Workflows.Forms;

/// <param name="Source">The file the schema came from, when known.</param>
/// <param name="Path">Where in the schema, e.g. "items.type", "rules[2]"; empty for the schema as a whole.</param>
/// <param name="Message">zh-CN, for whoever edits the schema.</param>
public sealed record FormSchemaError(string? Source, string Path, string Message)
{
    public override string ToString()
    {
        var where = string.Join(" ", new[] { Source, Path }.Where(part => !string.IsNullOrEmpty(part)));
        return where.Length == 0 ? Message : $"{where}: {Message}";
    }
}
