namespace PdsWorkflow.Workflows.Organization;

/// <summary>
/// A module's roles as people read them. To the engine a role is an opaque string that definitions and user records
/// share; the names come from the catalogues modules register (<see cref="OrganizationServiceCollectionExtensions.AddRoleCatalog{T}"/>).
/// </summary>
public interface IRoleCatalog
{
    /// <summary>Role id → its zh-CN name.</summary>
    IReadOnlyDictionary<string, string> DisplayNames { get; }
}

/// <summary>The names of every registered <see cref="IRoleCatalog"/>; a role nobody names shows as its id.</summary>
public sealed class RoleNames
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public RoleNames(IEnumerable<IRoleCatalog> catalogs)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        foreach (var (role, name) in catalogs.SelectMany(c => c.DisplayNames))
            if (!_names.TryAdd(role, name) && _names[role] != name)
                throw new InvalidOperationException($"The role '{role}' has two names: '{_names[role]}' and '{name}'.");
    }

    /// <summary>The role's name, or the role itself when no catalogue names it.</summary>
    public string Display(string role) => _names.GetValueOrDefault(role) ?? role;

    /// <summary>The roles whose name contains <paramref name="text"/> (a search by 审批人 finds the approvers).</summary>
    public IReadOnlyList<string> Matching(string text) =>
        _names.Where(r => r.Value.Contains(text, StringComparison.Ordinal)).Select(r => r.Key).ToList();
}
