using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// A cross-field rule too specific for the declarative kinds, referenced by name from a <see cref="CustomRule"/>.
/// The rule's roles are bound to fields by the schema; the TypeScript client implements the same names.
/// </summary>
public interface ICustomRule
{
    string Name { get; }

    /// <summary>Roles the schema must bind.</summary>
    IReadOnlyCollection<string> RequiredRoles { get; }

    /// <summary>Roles the schema may bind.</summary>
    IReadOnlyCollection<string> OptionalRoles { get; }

    /// <summary>zh-CN problems with the bound fields (wrong types, missing columns), checked when a schema is loaded.</summary>
    IEnumerable<string> CheckBinding(IReadOnlyDictionary<string, FormField> fields, JsonObject? args);

    /// <summary>
    /// Checks the normalised values; called when a bound field is editable and no bound field has a field-level error,
    /// except a table, whose rows then hold only their valid cells.
    /// </summary>
    void Evaluate(CustomRuleContext context);
}
