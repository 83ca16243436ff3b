using PdsWorkflow.Workflows.Definitions;

namespace PdsWorkflow.Workflows.Runtime;

/// <summary>A definition's flowchart indexed for execution; immutable and cached per definition version.</summary>
internal sealed class FlowGraph
{
    private readonly Dictionary<string, ActivityNode> _nodes;
    private readonly ILookup<(string Activity, string Port), Connection> _outbound;
    private readonly ILookup<string, Connection> _inbound;
    private readonly Dictionary<string, HashSet<string>> _ancestors = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<string>> _descendants = new(StringComparer.Ordinal);

    public FlowGraph(WorkflowDefinition definition)
    {
        Definition = definition;
        _nodes = definition.Root.Activities.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _outbound = definition.Root.Connections.ToLookup(c => (c.Source.Activity, c.Source.Port ?? Activities.Activity.Done));
        _inbound = definition.Root.Connections.ToLookup(c => c.Target.Activity, StringComparer.Ordinal);
        foreach (var id in _nodes.Keys) _ancestors[id] = ComputeAncestors(id);
    }

    public WorkflowDefinition Definition { get; }

    public ActivityNode? Find(string activityId) => _nodes.GetValueOrDefault(activityId);

    public ActivityNode? Start => Definition.Root.Activities.FirstOrDefault(a => a.Type == Activities.BuiltIn.BuiltInTypes.Start);

    public IEnumerable<Connection> Outbound(string activityId, string port) => _outbound[(activityId, port)];

    public IReadOnlyList<Connection> Inbound(string activityId) => _inbound[activityId].ToList();

    /// <summary>The activities from which <paramref name="activityId"/> can be reached.</summary>
    public IReadOnlySet<string> Ancestors(string activityId) => _ancestors.TryGetValue(activityId, out var set) ? set : new HashSet<string>();

    /// <summary>The activities reachable from <paramref name="activityId"/>.</summary>
    public IReadOnlySet<string> Descendants(string activityId) =>
        _descendants.GetOrAdd(activityId, id =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>([id]);
            while (stack.TryPop(out var current))
            {
                foreach (var connection in Definition.Root.Connections.Where(c => c.Source.Activity == current))
                    if (seen.Add(connection.Target.Activity)) stack.Push(connection.Target.Activity);
            }

            seen.Remove(id);
            return seen;
        });

    public static string Key(Connection connection) => $"{connection.Source.Activity}:{connection.Source.Port ?? Activities.Activity.Done}";

    private HashSet<string> ComputeAncestors(string activityId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(activityId);
        while (stack.TryPop(out var current))
        {
            foreach (var connection in _inbound[current])
            {
                if (seen.Add(connection.Source.Activity)) stack.Push(connection.Source.Activity);
            }
        }

        seen.Remove(activityId);
        return seen;
    }
}
