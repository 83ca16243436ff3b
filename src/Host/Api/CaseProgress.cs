using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

/// <summary>Where a step of a case stands (written in camelCase, so the web UI's types list the states).</summary>
public enum ProgressState
{
    Done,
    Current,

    /// <summary>不同意.</summary>
    Rejected,

    /// <summary>退回.</summary>
    Returned,

    /// <summary>A platform step stopped with an incident.</summary>
    Failed,

    /// <summary>Still ahead.</summary>
    Pending,

    /// <summary>A branch the case did not take.</summary>
    Skipped,
}

/// <summary>One step of a case's progress bar. People are names; the unit is the one the step acts for.</summary>
public sealed record ProgressStep(string ActivityId, string Name, string Kind, ProgressState State, IReadOnlyList<string> People, string? OrgUnitName,
    DateTimeOffset? At, DateTimeOffset? DueAt, string? Comment);

/// <summary>A step the case may go to after a current one: its candidates (unit and role), and whether a condition chooses it.</summary>
public sealed record NextStep(string ActivityId, string Name, string Candidates, bool Conditional);

public sealed record ProgressView(IReadOnlyList<ProgressStep> Steps, IReadOnlyList<NextStep> Next);

/// <summary>
/// The applicant's and approver's view of where a case stands (issue #18): the steps of its pinned definition in the
/// order the flowchart reaches them, each with its state from the case's tasks and platform steps, and the steps that may
/// come next with the units that would get them. No ids or type names: names of steps, people and units.
/// </summary>
public sealed class CaseProgress(AssignmentResolver resolver)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A human step, a platform step that does work (not notices and catalog bookkeeping), a wait, a child case.</summary>
    public static bool IsStep(ActivityNode node) =>
        node.Type is UserTask.TypeName or "WaitForEvent" or "RunWorkflow"
        || (node.Type.StartsWith("Pds.", StringComparison.Ordinal) && node.Type != "Pds.Notify" && !node.Type.StartsWith("Pds.Catalog.", StringComparison.Ordinal));

    public async Task<ProgressView> BuildAsync(WorkflowDbContext db, WorkflowDefinition definition, InstanceView instance, IReadOnlyList<TaskRecord> tasks,
        IReadOnlyList<ExchangeStepView> platform, IReadOnlyCollection<string> waiting, Func<TaskRecord, IEnumerable<string>> holders,
        Func<string, string> nameOf, Func<string?, string?> unitName, CancellationToken ct)
    {
        var nodes = definition.Root.Activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var outbound = definition.Root.Connections.ToLookup(c => c.Source.Activity, StringComparer.Ordinal);
        var order = Reached(definition, outbound);
        var running = !WorkflowStatus.IsTerminal(instance.Status);
        var current = order.Where(id => tasks.Any(t => t.ActivityId == id && TaskStatuses.IsActive(t.Status))
            || platform.Any(p => p.ActivityId == id && p.Status is "Waiting" or "Running") || waiting.Contains(id)).ToHashSet(StringComparer.Ordinal);
        var ahead = running ? Descendants(current, outbound) : [];

        var steps = new List<ProgressStep>();
        foreach (var id in order.Where(id => IsStep(nodes[id])))
        {
            var node = nodes[id];
            var name = node.Name ?? "处理";
            var own = tasks.Where(t => t.ActivityId == id).OrderBy(t => t.CreatedAt).ToList();
            var open = own.Where(t => TaskStatuses.IsActive(t.Status)).ToList();
            if (node.Type == UserTask.TypeName && open.Count > 0)
            {
                steps.Add(new ProgressStep(id, name, "human", ProgressState.Current, open.SelectMany(holders).Distinct().ToList(), unitName(open[0].OrgUnitId), null,
                    Utc(open.Min(t => t.DueAt)), null));
            }
            else if (node.Type == UserTask.TypeName && own.LastOrDefault(t => t.Outcome is not null && t.CompletedAt is not null) is { } decided)
            {
                var state = decided.Outcome switch { "Return" => ProgressState.Returned, UserTask.Reject => ProgressState.Rejected, _ => ProgressState.Done };
                var by = own.Where(t => t.ActivityExecutionId == decided.ActivityExecutionId && t.CompletedBy is not null && t.Outcome is not null)
                    .Select(t => t.CompletedBy!).Distinct().Select(nameOf).ToList();
                steps.Add(new ProgressStep(id, name, "human", state, by, unitName(decided.OrgUnitId), Utc(decided.CompletedAt), null, decided.Comment));
            }
            else if (platform.LastOrDefault(p => p.ActivityId == id) is { } step)
            {
                var state = step.Status switch { "Done" => ProgressState.Done, "Faulted" => ProgressState.Failed, _ => ProgressState.Current };
                steps.Add(new ProgressStep(id, name, "platform", state, ["平台自动办理"], null, step.At, null, state == ProgressState.Failed ? step.Message : null));
            }
            else
            {
                var state = current.Contains(id) ? ProgressState.Current : ahead.Contains(id) ? ProgressState.Pending : ProgressState.Skipped;
                steps.Add(new ProgressStep(id, name, node.Type == UserTask.TypeName ? "human" : "platform", state, [], null, null, null, null));
            }
        }

        var next = new List<NextStep>();
        if (running)
        {
            var facts = Facts(instance);
            foreach (var id in current)
                foreach (var (target, conditional) in NextOf(id, nodes, outbound))
                    if (next.All(n => n.ActivityId != target.Id))
                        next.Add(new NextStep(target.Id, target.Name ?? "处理", await CandidatesAsync(db, target, facts, nameOf, unitName, ct), conditional));
        }

        return new ProgressView(steps, next);
    }

    /// <summary>
    /// The activities in flow order: each after the steps that lead to it (its longest distance from the start, loops
    /// back to an earlier step ignored), so a step reached both directly and through another comes after that other.
    /// </summary>
    private static List<string> Reached(WorkflowDefinition definition, ILookup<string, Connection> outbound)
    {
        var start = definition.Root.Activities.FirstOrDefault(a => a.Type == "Start")?.Id;
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var discovered = new List<string>();
        void Walk(string id, int level, HashSet<string> path)
        {
            if (depth.TryGetValue(id, out var known) && known >= level) return;
            if (!depth.ContainsKey(id)) discovered.Add(id);
            depth[id] = level;
            path.Add(id);
            foreach (var connection in outbound[id])
                if (!path.Contains(connection.Target.Activity)) Walk(connection.Target.Activity, level + 1, path);
            path.Remove(id);
        }

        if (start is not null) Walk(start, 0, new HashSet<string>(StringComparer.Ordinal));
        var order = discovered.OrderBy(id => depth[id]).ThenBy(discovered.IndexOf).ToList();
        order.AddRange(definition.Root.Activities.Select(a => a.Id).Where(id => !depth.ContainsKey(id)));
        return order;
    }

    private static HashSet<string> Descendants(IEnumerable<string> from, ILookup<string, Connection> outbound)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(from.SelectMany(id => outbound[id]).Select(c => c.Target.Activity));
        while (queue.TryDequeue(out var id))
            if (found.Add(id))
                foreach (var connection in outbound[id]) queue.Enqueue(connection.Target.Activity);
        return found;
    }

    /// <summary>
    /// The next steps after a current one: along its approving (or only) outlet, through conditions, notices and
    /// bookkeeping, to the first step or the end. Reached through a condition, a step may or may not come.
    /// </summary>
    private static IEnumerable<(ActivityNode Node, bool Conditional)> NextOf(string id, IReadOnlyDictionary<string, ActivityNode> nodes,
        ILookup<string, Connection> outbound)
    {
        var leaving = outbound[id].Where(c => nodes[id].Type != UserTask.TypeName || (c.Source.Port ?? UserTask.Approve) == UserTask.Approve).ToList();
        var queue = new Queue<(string Id, bool Conditional)>(leaving.Select(c => (c.Target.Activity, false)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var item))
        {
            if (!seen.Add(item.Id) || !nodes.TryGetValue(item.Id, out var node)) continue;
            if (IsStep(node) || node.Type == "End")
            {
                yield return (node, item.Conditional);
                continue;
            }

            var branches = outbound[item.Id].ToList();
            foreach (var connection in branches) queue.Enqueue((connection.Target.Activity, item.Conditional || branches.Count > 1));
        }
    }

    private async Task<string> CandidatesAsync(WorkflowDbContext db, ActivityNode node, CaseFacts facts, Func<string, string> nameOf,
        Func<string?, string?> unitName, CancellationToken ct)
    {
        if (node.Type == "End") return "办结";
        if (node.Type != UserTask.TypeName) return "平台自动办理";
        AssignmentSpec? spec;
        try
        {
            spec = node.GetInput("assignment")?.Expression.Value?.Deserialize<AssignmentSpec>(Json);
        }
        catch (JsonException)
        {
            spec = null;
        }

        switch (spec?.Kind)
        {
            case "initiator":
                return "申请人";
            case "users":
                return string.Join("、", (spec.Users ?? []).Select(nameOf));
            case "role":
                var unit = await resolver.ScopeUnitAsync(db, facts, spec.Scope, spec.OrgUnit, ct);
                var role = Roles.DisplayNames.GetValueOrDefault(spec.Role ?? "") ?? "相关人员";
                var name = unit is null ? null
                    : await db.OrgUnits.AsNoTracking().Where(u => u.Id == unit).Select(u => u.Name).FirstOrDefaultAsync(ct) ?? unitName(unit);
                return name is null ? role : $"{name}（{role}）";
            default:
                return "表单指定人员";
        }
    }

    private static CaseFacts Facts(InstanceView instance)
    {
        var merged = (JsonObject)instance.Input.DeepClone();
        foreach (var (name, value) in instance.Variables) merged[name] = value?.DeepClone();
        return new CaseFacts(instance.Initiator, merged);
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
