using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// A declarative cross-field rule. The set of kinds is closed and small so that the TypeScript client implements
/// exactly the same ones: requiredWhen, emptyWhen, allowedWhen, compare, dateRange, unique and custom (a named rule
/// implemented on both sides). A rule names fields of its scope: the form's top-level fields, or a table's columns when
/// it is one of that table's row rules. A rule is skipped while a field it involves has a field-level error (a table
/// with bad cells excepted: its rows then hold only their valid cells), and when none of the fields it reports on is
/// editable in the task.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(RequiredWhenRule), "requiredWhen")]
[JsonDerivedType(typeof(EmptyWhenRule), "emptyWhen")]
[JsonDerivedType(typeof(AllowedWhenRule), "allowedWhen")]
[JsonDerivedType(typeof(CompareRule), "compare")]
[JsonDerivedType(typeof(DateRangeRule), "dateRange")]
[JsonDerivedType(typeof(UniqueRule), "unique")]
[JsonDerivedType(typeof(CustomRule), "custom")]
public abstract record FormRule
{
    /// <summary>zh-CN message replacing the default one; "{label}" is replaced by the reported field's label.</summary>
    public string? Message { get; init; }
}

/// <summary><see cref="Field"/> must be filled when <see cref="When"/> holds. Code "requiredWhen".</summary>
public sealed record RequiredWhenRule : FormRule
{
    public required string Field { get; init; }

    public required FormCondition When { get; init; }
}

/// <summary><see cref="Field"/> must be empty when <see cref="When"/> holds. Code "emptyWhen".</summary>
public sealed record EmptyWhenRule : FormRule
{
    public required string Field { get; init; }

    public required FormCondition When { get; init; }
}

/// <summary>When <see cref="When"/> holds, a filled <see cref="Field"/> must be one of <see cref="Values"/>. Code "allowedWhen".</summary>
public sealed record AllowedWhenRule : FormRule
{
    public required string Field { get; init; }

    public required IReadOnlyList<JsonNode> Values { get; init; }

    public required FormCondition When { get; init; }
}

/// <summary>
/// <see cref="Left"/> <see cref="Operator"/> <see cref="Right"/> for two filled fields of the same kind (numbers, dates,
/// date-times, or for eq/ne any value). Reported on <see cref="Left"/>. Code "compare".
/// </summary>
public sealed record CompareRule : FormRule
{
    public required string Left { get; init; }

    [JsonPropertyName("operator")]
    public required CompareOperator Operator { get; init; }

    public required string Right { get; init; }
}

/// <summary>
/// Two date (or date-time) fields: <see cref="Start"/> ≤ <see cref="End"/>, and at most <see cref="MaxDays"/> days
/// counting both ends. Reported on <see cref="End"/>. Codes "dateRange", "dateRange.maxDays".
/// </summary>
public sealed record DateRangeRule : FormRule
{
    public required string Start { get; init; }

    public required string End { get; init; }

    public int? MaxDays { get; init; }
}

/// <summary>No two rows of the table <see cref="Table"/> have the same values in <see cref="Columns"/> (text compared
/// trimmed and case-insensitively). Reported on the later row's first column. Code "unique".</summary>
public sealed record UniqueRule : FormRule
{
    public required string Table { get; init; }

    public required IReadOnlyList<string> Columns { get; init; }
}

/// <summary>
/// A named rule implemented in code (<see cref="ICustomRule"/>) and in the TypeScript client under the same name.
/// <see cref="Fields"/> binds the rule's roles to field keys, e.g. { "windows": "seasonalWindows", "periodStart": … }.
/// </summary>
public sealed record CustomRule : FormRule
{
    public required string Name { get; init; }

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>Settings of the named rule, if it takes any.</summary>
    public JsonObject? Args { get; init; }
}

/// <summary>Comparison operators, written eq, ne, lt, le, gt, ge.</summary>
public enum CompareOperator
{
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary>
/// A test on one field of the rule's scope; exactly one of <see cref="EqualTo"/> ("equals"), <see cref="NotEqualTo"/>
/// ("notEquals"), <see cref="In"/>, <see cref="NotIn"/> or <see cref="Filled"/> is given. An empty field equals nothing,
/// is in no list and is not in every list.
/// </summary>
public sealed record FormCondition
{
    public required string Field { get; init; }

    [JsonPropertyName("equals")]
    public JsonNode? EqualTo { get; init; }

    [JsonPropertyName("notEquals")]
    public JsonNode? NotEqualTo { get; init; }

    public IReadOnlyList<JsonNode>? In { get; init; }

    public IReadOnlyList<JsonNode>? NotIn { get; init; }

    /// <summary>true: the field is filled; false: it is empty.</summary>
    public bool? Filled { get; init; }
}
