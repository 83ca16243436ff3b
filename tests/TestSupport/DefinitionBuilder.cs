using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Definitions;

namespace PdsWorkflow.Tests.Support;

/// <summary>Builds flowchart definitions for tests: <c>Connect("decide:True", "end")</c> names the source port after a colon.</summary>
public sealed class DefinitionBuilder(string definitionId)
{
    private readonly List<ActivityNode> _activities = [];
    private readonly List<Connection> _connections = [];
    private readonly List<VariableDefinition> _variables = [];

    public DefinitionBuilder Variable(string name, JsonNode? value = null)
    {
        _variables.Add(new VariableDefinition { Name = name, Value = value });
        return this;
    }

    public DefinitionBuilder Add(string id, string type, params (string Name, InputValue Value)[] inputs)
    {
        var node = new ActivityNode { Id = id, Type = type };
        foreach (var (name, value) in inputs) node.Inputs[name] = value;
        _activities.Add(node);
        return this;
    }

    public DefinitionBuilder Connect(string source, string target)
    {
        var parts = source.Split(':');
        _connections.Add(new Connection
        {
            Source = new Endpoint { Activity = parts[0], Port = parts.Length > 1 ? parts[1] : "Done" },
            Target = new Endpoint { Activity = target, Port = "In" },
        });
        return this;
    }

    /// <summary>Connects each activity to the next: <c>Chain("start", "a", "b", "end")</c>.</summary>
    public DefinitionBuilder Chain(params string[] ids)
    {
        for (var i = 0; i + 1 < ids.Length; i++) Connect(ids[i], ids[i + 1]);
        return this;
    }

    public WorkflowDefinition Build() => new()
    {
        DefinitionId = definitionId,
        Name = definitionId,
        Variables = [.. _variables],
        Root = new Flowchart { Id = "root", Activities = [.. _activities], Connections = [.. _connections] },
    };

    public static InputValue Js(string script) => InputValue.JavaScript(script);

    public static InputValue Literal(JsonNode? value) => InputValue.Literal(value);

    public static (string, InputValue) Event(string name) => ("eventName", Literal(name));
}

/// <summary>Human steps for definitions built in tests.</summary>
public static class HumanSteps
{
    public static JsonObject Role(string role, string? scope = null, string? orgUnit = null) =>
        new() { ["kind"] = "role", ["role"] = role, ["scope"] = scope, ["orgUnit"] = orgUnit };

    public static JsonObject Users(params string[] users) => new() { ["kind"] = "users", ["users"] = new JsonArray(users.Select(u => (JsonNode)u).ToArray()) };

    public static JsonObject Initiator() => new() { ["kind"] = "initiator" };

    public static DefinitionBuilder UserTask(this DefinitionBuilder builder, string id, JsonObject assignment, string mode = "single",
        JsonObject? sla = null, double? ratio = null, string? form = null, JsonObject? permissions = null) =>
        builder.Add(id, "UserTask", [
            ("title", DefinitionBuilder.Literal(id)),
            ("assignment", DefinitionBuilder.Literal(assignment)),
            ("approvalMode", DefinitionBuilder.Literal(mode)),
            .. sla is null ? Array.Empty<(string, InputValue)>() : [("sla", DefinitionBuilder.Literal(sla))],
            .. ratio is null ? Array.Empty<(string, InputValue)>() : [("approvalRatio", DefinitionBuilder.Literal(ratio.Value))],
            .. form is null ? Array.Empty<(string, InputValue)>() : [("form", DefinitionBuilder.Literal(form))],
            .. permissions is null ? Array.Empty<(string, InputValue)>() : [("fieldPermissions", DefinitionBuilder.Literal(permissions))],
        ]);
}
