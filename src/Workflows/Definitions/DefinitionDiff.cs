using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Definitions;

public static class DiffChanges
{
    public const string Added = "added";
    public const string Removed = "removed";
    public const string Changed = "changed";
}

/// <summary>One input or setting of a node that differs: <c>name</c> is the input's camelCase name or the setting's key.</summary>
public sealed record PropertyChange(string Name, string Change, JsonNode? From, JsonNode? To);

public sealed record NodeRef(string Id, string Type, string? Name);

/// <summary>
/// A node present in both versions that differs: its type or name, its inputs, its other settings; <see cref="Moved"/>
/// when only its place on the canvas changed.
/// </summary>
public sealed record NodeChange(string Id, string Type, string? Name, PropertyChange? TypeChange, PropertyChange? NameChange,
    IReadOnlyList<PropertyChange> Inputs, IReadOnlyList<PropertyChange> Settings, bool Moved);

public sealed record ConnectionRef(string Source, string Port, string Target);

public sealed record DefinitionDiff(
    string DefinitionId,
    int FromVersion,
    int ToVersion,
    IReadOnlyList<NodeRef> NodesAdded,
    IReadOnlyList<NodeRef> NodesRemoved,
    IReadOnlyList<NodeChange> NodesChanged,
    IReadOnlyList<ConnectionRef> ConnectionsAdded,
    IReadOnlyList<ConnectionRef> ConnectionsRemoved,
    IReadOnlyList<PropertyChange> Variables,
    IReadOnlyList<PropertyChange> Settings)
{
    public bool IsEmpty => NodesAdded.Count + NodesRemoved.Count + NodesChanged.Count + ConnectionsAdded.Count + ConnectionsRemoved.Count
        + Variables.Count + Settings.Count == 0;

    /// <summary>What changed between two versions, node by node (matched by id) and connection by connection.</summary>
    public static DefinitionDiff Compare(WorkflowDefinition from, WorkflowDefinition to)
    {
        var before = from.Root.Activities.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var after = to.Root.Activities.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var changed = new List<NodeChange>();
        foreach (var (id, old) in before)
        {
            if (!after.TryGetValue(id, out var now)) continue;
            var inputs = CompareMaps(old.Inputs.ToDictionary(p => p.Key, p => Node(p.Value)), now.Inputs.ToDictionary(p => p.Key, p => Node(p.Value)));
            var settings = CompareMaps(NodeSettings(old), NodeSettings(now));
            var moved = !JsonNode.DeepEquals(Position(old), Position(now));
            var typeChange = old.Type == now.Type ? null : new PropertyChange("type", DiffChanges.Changed, old.Type, now.Type);
            var nameChange = old.Name == now.Name ? null : new PropertyChange("name", DiffChanges.Changed, old.Name, now.Name);
            if (typeChange is null && nameChange is null && inputs.Count == 0 && settings.Count == 0 && !moved) continue;
            changed.Add(new NodeChange(id, now.Type, now.Name, typeChange, nameChange, inputs, settings, moved));
        }

        var oldConnections = from.Root.Connections.Select(Ref).ToHashSet();
        var newConnections = to.Root.Connections.Select(Ref).ToHashSet();
        var variables = CompareMaps(
            from.Variables.ToDictionary(v => v.Name, v => (JsonNode?)JsonSerializer.SerializeToNode(v, JsonDefaults.Stored)),
            to.Variables.ToDictionary(v => v.Name, v => (JsonNode?)JsonSerializer.SerializeToNode(v, JsonDefaults.Stored)));
        var settingsOfDefinition = CompareMaps(
            new Dictionary<string, JsonNode?> { ["name"] = from.Name, ["description"] = from.Description, ["caseSla"] = from.CaseSla?.DeepClone() },
            new Dictionary<string, JsonNode?> { ["name"] = to.Name, ["description"] = to.Description, ["caseSla"] = to.CaseSla?.DeepClone() });

        return new DefinitionDiff(to.DefinitionId, from.Version, to.Version,
            after.Values.Where(a => !before.ContainsKey(a.Id)).Select(NodeOf).ToList(),
            before.Values.Where(a => !after.ContainsKey(a.Id)).Select(NodeOf).ToList(),
            changed,
            to.Root.Connections.Select(Ref).Where(c => !oldConnections.Contains(c)).Distinct().ToList(),
            from.Root.Connections.Select(Ref).Where(c => !newConnections.Contains(c)).Distinct().ToList(),
            variables, settingsOfDefinition);
    }

    private static NodeRef NodeOf(ActivityNode node) => new(node.Id, node.Type, node.Name);

    private static ConnectionRef Ref(Connection c) => new(c.Source.Activity, c.Source.Port ?? Activities.Activity.Done, c.Target.Activity);

    private static JsonNode? Node(InputValue value) => JsonSerializer.SerializeToNode(value, JsonDefaults.Stored);

    /// <summary>Everything but the inputs and the canvas position: the node's own extra properties and the rest of its metadata.</summary>
    private static Dictionary<string, JsonNode?> NodeSettings(ActivityNode node)
    {
        var settings = node.Extra.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
        if (node.Version is { } version) settings["version"] = version;
        if (node.Metadata?.DeepClone() is JsonObject metadata)
        {
            (metadata["designer"] as JsonObject)?.Remove("position");
            if (metadata["designer"] is JsonObject { Count: 0 }) metadata.Remove("designer");
            if (metadata.Count > 0) settings["metadata"] = metadata;
        }

        return settings;
    }

    private static JsonNode? Position(ActivityNode node) => node.Metadata?["designer"]?["position"];

    private static List<PropertyChange> CompareMaps(IReadOnlyDictionary<string, JsonNode?> before, IReadOnlyDictionary<string, JsonNode?> after)
    {
        var changes = new List<PropertyChange>();
        foreach (var (name, old) in before.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!after.TryGetValue(name, out var now)) changes.Add(new PropertyChange(name, DiffChanges.Removed, old?.DeepClone(), null));
            else if (!JsonNode.DeepEquals(old, now)) changes.Add(new PropertyChange(name, DiffChanges.Changed, old?.DeepClone(), now?.DeepClone()));
        }

        foreach (var (name, now) in after.Where(p => !before.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
            changes.Add(new PropertyChange(name, DiffChanges.Added, null, now?.DeepClone()));
        return changes;
    }
}
