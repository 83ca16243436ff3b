using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Reliability.Node;

/// <summary>
/// The crash test's batch: Start → ping1 → a one-second timer → ping2 → wait for a final event. A run publishes the
/// definition and starts the instances that do not exist yet (by correlation id), each in its own transaction, so any
/// run after a kill picks up where the last one died; timers and the outbox carry on on their own.
/// </summary>
public static class CrashBatch
{
    public const string DefinitionId = "reliability-crash";
    public const string FinalActivity = "final";
    public static readonly string[] OnceActivities = ["ping1", "wait", "ping2"];

    public static string Correlation(int index) => $"crash-{index:D4}";

    public static WorkflowDefinition Definition()
    {
        ActivityNode Node(string id, string type, params (string Name, InputValue Value)[] inputs)
        {
            var node = new ActivityNode { Id = id, Type = type };
            foreach (var (name, value) in inputs) node.Inputs[name] = value;
            return node;
        }

        string[] chain = ["start", "ping1", "wait", "ping2", FinalActivity, "end"];
        return new WorkflowDefinition
        {
            DefinitionId = DefinitionId,
            Name = DefinitionId,
            Root = new Flowchart
            {
                Id = "root",
                Activities =
                [
                    Node("start", "Start"),
                    Node("ping1", Ping.TypeName),
                    Node("wait", "Delay", ("duration", InputValue.Literal("00:00:01"))),
                    Node("ping2", Ping.TypeName),
                    Node(FinalActivity, "WaitForEvent", ("eventName", InputValue.Literal("reliability.final"))),
                    Node("end", "End"),
                ],
                Connections = [.. chain.Zip(chain.Skip(1), (from, to) => new Connection
                {
                    Source = new Endpoint { Activity = from, Port = "Done" },
                    Target = new Endpoint { Activity = to, Port = "In" },
                })],
            },
        };
    }

    /// <summary>Publishes the definition once; a second run finds it published.</summary>
    public static async Task PublishAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<WorkflowStore>();
        await using (var db = await store.CreateContextAsync(cancellationToken))
            if (await db.Definitions.AnyAsync(d => d.DefinitionId == DefinitionId && d.IsPublished, cancellationToken)) return;
        var definitions = services.GetRequiredService<WorkflowDefinitionStore>();
        var saved = await definitions.SaveDraftAsync(Definition(), "reliability", cancellationToken);
        if (!saved.IsSuccess) throw new InvalidOperationException(saved.ToString());
        var published = await definitions.PublishAsync(DefinitionId, saved.Value.Version, "reliability", cancellationToken);
        if (!published.IsSuccess) throw new InvalidOperationException(published.ToString());
    }

    /// <summary>Starts the missing instances; <paramref name="working"/> is called after the first start, or at once when none is missing.</summary>
    public static async Task StartMissingAsync(IServiceProvider services, int count, Action working, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<WorkflowStore>();
        HashSet<string> existing;
        await using (var db = await store.CreateContextAsync(cancellationToken))
            existing = (await db.Instances.Where(i => i.DefinitionId == DefinitionId).Select(i => i.CorrelationId!).ToListAsync(cancellationToken)).ToHashSet();
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        var told = false;
        for (var i = 0; i < count; i++)
        {
            if (existing.Contains(Correlation(i))) continue;
            var started = await runtime.StartAsync(new StartWorkflowRequest(DefinitionId) { CorrelationId = Correlation(i), Initiator = "reliability" }, cancellationToken);
            if (!started.IsSuccess) throw new InvalidOperationException(started.ToString());
            if (!told) working();
            told = true;
        }

        if (!told) working();
    }

    /// <summary>Every instance waits at the final step and every message has been delivered.</summary>
    public static async Task<bool> IsDoneAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(cancellationToken);
        var waiting = await db.Bookmarks.CountAsync(b => b.ActivityId == FinalActivity && b.Status == BookmarkStatus.Open
            && db.Instances.Any(i => i.Id == b.InstanceId && i.DefinitionId == DefinitionId), cancellationToken);
        var unsent = await db.Outbox.CountAsync(m => m.SentAt == null, cancellationToken);
        return waiting == count && unsent == 0;
    }
}
