using PdsWorkflow.Workflows.Organization;

namespace PdsWorkflow.Activities.DataSharing;

/// <summary>The names of the platform's <see cref="Roles"/>, for the engine's notes, pickers and searches.</summary>
public sealed class PlatformRoleCatalog : IRoleCatalog
{
    public IReadOnlyDictionary<string, string> DisplayNames => Roles.DisplayNames;
}
