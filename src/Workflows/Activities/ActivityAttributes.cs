namespace PdsWorkflow.Workflows.Activities;

/// <summary>Declares an activity type and how the designer shows it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string type) : Attribute
{
    /// <summary>The stable type name written into definitions, e.g. <c>Decision</c> or <c>Pds.IssueAccount</c>.</summary>
    public string Type { get; } = type;

    public string Category { get; init; } = "其他";
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
}

/// <summary>Names the outcomes (ports) an activity may complete with.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutcomesAttribute(params string[] outcomes) : Attribute
{
    public IReadOnlyList<string> Outcomes { get; } = outcomes;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class InputAttribute : Attribute
{
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
    public string UIHint { get; init; } = UIHints.SingleLine;
    public bool Required { get; init; }
    public object? DefaultValue { get; init; }
    public bool SupportsExpression { get; init; } = true;
    public string[]? Options { get; init; }
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
}

/// <summary>How often a failing execution of this activity type is retried before it becomes an open incident.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RetryPolicyAttribute(int maxAttempts, double initialBackoffSeconds) : Attribute
{
    public RetryPolicy Policy { get; } = new(maxAttempts, TimeSpan.FromSeconds(initialBackoffSeconds));
}

public static class UIHints
{
    public const string SingleLine = "singleline";
    public const string MultiLine = "multiline";
    public const string Checkbox = "checkbox";
    public const string Dropdown = "dropdown";
    public const string Code = "code-editor";
    public const string Json = "json-editor";
    public const string StringList = "string-list";
    public const string DefinitionPicker = "definition-picker";
    public const string VariablePicker = "variable-picker";
}

/// <summary>
/// The activity's effect lies wholly in the instance (control flow, variables, waiting, human tasks): verification
/// re-executes it. A type without it acts on other systems or on module data, and a verification replay takes its
/// recorded results instead of running it again (and says so in the verdict).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReplayableAttribute : Attribute;
