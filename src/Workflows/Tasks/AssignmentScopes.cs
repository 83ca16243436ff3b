using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// A named organisation scope a role assignment can use (<c>"scope": "applicant"</c>): the unit whose holders of the role
/// get the step, found from the case's facts. The engine has <c>applicant</c> and <c>orgUnit</c>; a module adds its own
/// with <see cref="AssignmentServiceCollectionExtensions.AddAssignmentScope{T}"/>, and a definition naming a scope nobody
/// registered is refused at publish time.
/// </summary>
public interface IAssignmentScope
{
    /// <summary>The name a definition writes in <c>assignment.scope</c>.</summary>
    string Name { get; }

    /// <summary>The unit for this case, or null when the case does not say (the step then finds nobody and takes its fallback).</summary>
    Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken);
}

/// <summary>What a scope may read: the database, the case's facts, and the unit the assignment names literally.</summary>
public sealed class AssignmentScopeContext(WorkflowDbContext db, CaseFacts facts, string? literal)
{
    public WorkflowDbContext Db { get; } = db;

    public CaseFacts Facts { get; } = facts;

    /// <summary>The assignment's <c>orgUnit</c>, for scopes that take a unit literally.</summary>
    public string? Literal { get; } = literal;

    /// <summary>The applicant's unit: the variable <c>applicantOrgUnitId</c> the platform derived, else the initiator's own unit.</summary>
    public async Task<string?> ApplicantUnitIdAsync(CancellationToken cancellationToken) =>
        Facts.Variable(CaseFacts.ApplicantUnitVariable)
        ?? (Facts.Initiator is null ? null : await Db.Users.Where(u => u.Id == Facts.Initiator).Select(u => u.OrgUnitId).FirstOrDefaultAsync(cancellationToken));
}

/// <summary>The registered <see cref="IAssignmentScope"/>s by name; two with one name stop the start-up.</summary>
public sealed class AssignmentScopes
{
    /// <summary>The scope a role assignment has when it names none: the role's holders anywhere.</summary>
    public const string Any = "any";

    private readonly Dictionary<string, IAssignmentScope> _scopes = new(StringComparer.Ordinal);

    public AssignmentScopes(IEnumerable<IAssignmentScope> scopes)
    {
        foreach (var scope in scopes)
            if (!_scopes.TryAdd(scope.Name, scope))
                throw new InvalidOperationException($"Two assignment scopes are named '{scope.Name}'.");
    }

    public IReadOnlyCollection<string> Names => _scopes.Keys;

    /// <summary>Whether a definition may name the scope: none, <c>any</c>, or a registered one.</summary>
    public bool IsKnown(string? scope) => IsAnywhere(scope) || _scopes.ContainsKey(scope!);

    public static bool IsAnywhere(string? scope) => scope is null or "" or Any;

    /// <summary>The unit the scope names for this case; null for anywhere, or when the case does not say.</summary>
    public Task<string?> UnitAsync(AssignmentScopeContext context, string? scope, CancellationToken cancellationToken) =>
        IsAnywhere(scope) ? Task.FromResult<string?>(null)
        : _scopes.TryGetValue(scope!, out var found) ? found.UnitAsync(context, cancellationToken)
        : throw new InvalidOperationException($"未知的组织范围“{scope}”。");
}

/// <summary><c>applicant</c>: the applicant's unit.</summary>
public sealed class ApplicantScope : IAssignmentScope
{
    public string Name => "applicant";

    public Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken) => context.ApplicantUnitIdAsync(cancellationToken);
}

/// <summary><c>orgUnit</c>: the unit the assignment names in <see cref="AssignmentSpec.OrgUnit"/>, literally.</summary>
public sealed class OrgUnitScope : IAssignmentScope
{
    public const string ScopeName = "orgUnit";

    public string Name => ScopeName;

    public Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken) => Task.FromResult(context.Literal);
}
