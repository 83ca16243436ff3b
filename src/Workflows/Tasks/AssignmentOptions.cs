using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// How assignment ends when a step's own rule finds nobody. Set by the module that knows the organisation (the
/// platform's: <c>AddDataSharing</c>); the engine alone has no fallback and no delegating kinds.
/// </summary>
public sealed class AssignmentOptions
{
    /// <summary>
    /// Where a step goes when nobody matches its assignment or the fallbacks it names, and who decides an extension (延期)
    /// of a step whose SLA names no <c>extensionApprovers</c>. Null: nobody.
    /// </summary>
    public AssignmentSpec? Fallback { get; set; }

    /// <summary>Unit kinds whose steps go to the parent unit's holders of the role when the unit has none.</summary>
    public ISet<string> KindsActingThroughParent { get; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>A fallback naming a scope nobody registered could never resolve: refused at start-up.</summary>
internal sealed class AssignmentOptionsValidator(AssignmentScopes scopes) : IValidateOptions<AssignmentOptions>
{
    public ValidateOptionsResult Validate(string? name, AssignmentOptions options)
    {
        var failures = new List<string>();
        for (var (spec, setting) = (options.Fallback, "AssignmentOptions.Fallback"); spec is not null; (spec, setting) = (spec.Fallback, setting + ":Fallback"))
        {
            if (spec.Kind == "role" && string.IsNullOrWhiteSpace(spec.Role)) failures.Add($"{setting}: a role assignment needs a role.");
            if (spec.Kind == "role" && !scopes.IsKnown(spec.Scope))
                failures.Add($"{setting}: the scope '{spec.Scope}' is not registered (known: {string.Join(", ", scopes.Names.Order(StringComparer.Ordinal))}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
