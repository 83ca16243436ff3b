using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Activities;

/// <summary>What the designer and the validator know about an activity type.</summary>
public sealed record ActivityDescriptor(
    string Type,
    string Category,
    string DisplayName,
    string? Description,
    IReadOnlyList<InputDescriptor> Inputs,
    IReadOnlyList<OutputDescriptor> Outputs,
    IReadOnlyList<string> Outcomes,
    bool HasDynamicOutcomes,
    RetryPolicy RetryPolicy)
{
    [JsonIgnore]
    public Type ClrType { get; init; } = null!;

    /// <summary>The Chinese names of the declared outcomes (and the Switch's <c>Default</c>), for the designer's port labels.</summary>
    public IReadOnlyDictionary<string, string> OutcomeNames { get; init; } = new Dictionary<string, string>();

    /// <summary>Verification re-executes it (see <see cref="ReplayableAttribute"/>); otherwise a replay uses its recorded results.</summary>
    public bool Replayable { get; init; }

    [JsonIgnore]
    internal Func<Activity> Factory { get; init; } = null!;
}

public sealed record InputDescriptor(
    string Name,
    string DisplayName,
    string? Description,
    string Kind,
    string UIHint,
    bool Required,
    JsonNode? DefaultValue,
    bool SupportsExpression,
    IReadOnlyList<string>? Options)
{
    [JsonIgnore]
    internal PropertyInfo Property { get; init; } = null!;

    [JsonIgnore]
    internal Type ValueType { get; init; } = null!;
}

public sealed record OutputDescriptor(string Name, string DisplayName, string? Description, string Kind)
{
    [JsonIgnore]
    internal PropertyInfo Property { get; init; } = null!;
}
