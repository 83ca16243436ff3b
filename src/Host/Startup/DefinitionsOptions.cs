namespace PdsWorkflow.Host.Startup;

/// <summary>Bound from the <c>Definitions</c> section.</summary>
public sealed class DefinitionsOptions
{
    public const string Section = "Definitions";

    /// <summary>The folder of definition files; relative paths are looked up from the working directory upwards.</summary>
    public string Path { get; set; } = "definitions";

    public bool ImportOnStart { get; set; } = true;
}
