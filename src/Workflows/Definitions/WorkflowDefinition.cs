using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Definitions;

/// <summary>
/// A workflow definition in Elsa 3's JSON shape. Unknown properties are kept in <see cref="Extra"/> so that a
/// definition written by another tool survives a load and save unchanged.
/// </summary>
public sealed class WorkflowDefinition
{
    public string? Id { get; set; }
    public required string DefinitionId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public int Version { get; set; } = 1;
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public List<VariableDefinition> Variables { get; set; } = [];

    /// <summary>
    /// The whole case's legal clock (法定时限), e.g. <c>{"workingDays": 10, "correctionRule": "Pause"}</c>: started when the
    /// case is received, stopped while it is with the applicant for correction, stopped when the case ends.
    /// </summary>
    public JsonObject? CaseSla { get; set; }

    /// <summary>
    /// The short Chinese prefix of the case's 业务编号 (<c>订阅</c> gives 订阅-2026-000123), given when the case is submitted
    /// (<see cref="Tasks.BusinessNumbers"/>). Definitions that share a prefix share its sequence; none: <c>业务</c>.
    /// </summary>
    public string? BusinessNumberPrefix { get; set; }

    public required Flowchart Root { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Flowchart
{
    public string Type { get; set; } = "Flowchart";
    public string? Id { get; set; }
    public List<ActivityNode> Activities { get; set; } = [];
    public List<Connection> Connections { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class VariableDefinition
{
    public string? Id { get; set; }
    public required string Name { get; set; }
    public string? TypeName { get; set; }
    public JsonNode? Value { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Connection
{
    public required Endpoint Source { get; set; }
    public required Endpoint Target { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Endpoint
{
    public required string Activity { get; set; }
    public string? Port { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An input's value: a literal or an expression, as Elsa 3 writes it.</summary>
public sealed class InputValue
{
    public string? TypeName { get; set; }
    public required ExpressionValue Expression { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public static InputValue Literal(JsonNode? value) => new() { Expression = new ExpressionValue { Type = ExpressionTypes.Literal, Value = value } };

    public static InputValue JavaScript(string script) => new() { Expression = new ExpressionValue { Type = ExpressionTypes.JavaScript, Value = script } };
}

public sealed class ExpressionValue
{
    public string Type { get; set; } = ExpressionTypes.Literal;
    public JsonNode? Value { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore]
    public bool IsJavaScript => string.Equals(Type, ExpressionTypes.JavaScript, StringComparison.OrdinalIgnoreCase);
}

public static class ExpressionTypes
{
    public const string Literal = "Literal";
    public const string JavaScript = "JavaScript";
}
