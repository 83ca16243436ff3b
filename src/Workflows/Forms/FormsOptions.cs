namespace PdsWorkflow.Workflows.Forms;

public sealed class FormsOptions
{
    /// <summary>The folder of form schema files (*.json); a relative path is resolved against the working directory.</summary>
    public string SchemasPath { get; set; } = "definitions/forms";
}
