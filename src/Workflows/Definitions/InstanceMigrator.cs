using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Definitions;

/// <summary>
/// Which instances move to which version, and where each current step (an activity holding bookmarks or tasks) goes.
/// A current step left out of <see cref="Mapping"/> keeps its id when the new version has a step of the same id and type.
/// </summary>
public sealed record MigrationPlan(string DefinitionId, int TargetVersion, IReadOnlyList<Guid> InstanceIds)
{
    public IReadOnlyDictionary<string, string> Mapping { get; init; } = new Dictionary<string, string>();

    /// <summary>Values for variables the new version declares without a default.</summary>
    public JsonObject? Variables { get; init; }
}

public sealed record MigrationProblem(string Code, string Message, string? ActivityId = null);

/// <summary>Where one current step goes: <see cref="Implicit"/> when it kept its id without being mapped.</summary>
public sealed record StepMove(string From, string To, string Type, bool Implicit, IReadOnlyList<string> Waits, int OpenTasks);

/// <summary>What happens (dry run) or happened (run) to one instance.</summary>
public sealed record InstanceMigrationResult(
    Guid InstanceId,
    int FromVersion,
    int ToVersion,
    bool CanMigrate,
    bool Migrated,
    IReadOnlyList<StepMove> Steps,
    IReadOnlyList<string> AddedVariables,
    IReadOnlyList<MigrationProblem> Problems,
    string Summary);

public sealed record MigrationReport(string DefinitionId, int TargetVersion, bool DryRun, IReadOnlyList<InstanceMigrationResult> Instances)
{
    public int Migratable => Instances.Count(i => i.CanMigrate);
    public int Refused => Instances.Count(i => !i.CanMigrate);
}

/// <summary>
/// Moves running instances to a newer version of their definition without restarting them: the instance is re-pinned,
/// its bookmarks and open tasks move to the mapped steps with their deadlines, and the journal records the mapping.
/// Each instance migrates in its own transaction under the instance lock; one refused instance does not stop the others.
/// </summary>
public sealed class InstanceMigrator(WorkflowEngine engine, WorkflowRuntime runtime, WorkflowStore store)
{
    public Task<WorkflowResult<MigrationReport>> DryRunAsync(MigrationPlan plan, CancellationToken cancellationToken = default) =>
        ExecuteAsync(plan, dryRun: true, actor: null, cancellationToken);

    public Task<WorkflowResult<MigrationReport>> RunAsync(MigrationPlan plan, string actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(plan, dryRun: false, actor, cancellationToken);

    private async Task<WorkflowResult<MigrationReport>> ExecuteAsync(MigrationPlan plan, bool dryRun, string? actor, CancellationToken cancellationToken)
    {
        DefinitionRecord? target;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            target = await db.Definitions.AsNoTracking()
                .FirstOrDefaultAsync(d => d.DefinitionId == plan.DefinitionId && d.Version == plan.TargetVersion, cancellationToken);
            if (target is null)
                return await db.Definitions.AnyAsync(d => d.DefinitionId == plan.DefinitionId, cancellationToken)
                    ? WorkflowErrors.VersionNotFound(plan.DefinitionId, plan.TargetVersion)
                    : WorkflowErrors.DefinitionNotFound(plan.DefinitionId);
        }

        if (target.PublishedAt is null)
            return new WorkflowError(WorkflowErrorKind.Conflict, "migration_target_not_published", "目标版本未发布",
                $"流程“{plan.DefinitionId}”的版本 {plan.TargetVersion} 尚未发布（未经校验），不能作为迁移目标。");
        if (plan.InstanceIds.Count == 0)
            return new WorkflowError(WorkflowErrorKind.Invalid, "migration_no_instances", "未选择流程实例", "请至少选择一个要迁移的流程实例。");

        var results = new List<InstanceMigrationResult>();
        foreach (var instanceId in plan.InstanceIds.Distinct())
        {
            InstanceMigrationResult? result = null;
            // The dry run takes the same lock and checks as the run, then rolls back: it says exactly what the run would do.
            var outcome = await runtime.InTransactionAsync<InstanceMigrationResult>(async (db, ct) =>
            {
                var loaded = await engine.LockAndLoadAsync(db, instanceId, actor, ct);
                if (!loaded.IsSuccess)
                {
                    result = Refused(instanceId, 0, plan.TargetVersion, new MigrationProblem("instance_not_found", $"找不到流程实例 {instanceId}。"));
                    return result;
                }

                var execution = loaded.Value;
                var tasks = await db.Tasks.Where(t => t.InstanceId == instanceId).ToListAsync(ct);
                var activeTasks = tasks.Where(t => TaskStatuses.IsActive(t.Status)).ToList();
                result = Check(execution, target, plan, activeTasks);
                if (dryRun || !result.CanMigrate) return new WorkflowError(WorkflowErrorKind.Conflict, "rolled_back", "", "");
                Apply(execution, target, result, activeTasks, plan.Variables);
                result = result with { Migrated = true };
                return result;
            }, cancellationToken);
            if (!outcome.IsSuccess && result is { Migrated: true })
                result = result with
                {
                    Migrated = false, CanMigrate = false,
                    Problems = [new MigrationProblem(outcome.Error!.Code, outcome.Error.Detail)],
                    Summary = "迁移未完成：" + outcome.Error.Detail,
                };
            results.Add(result!);
        }

        return new MigrationReport(plan.DefinitionId, plan.TargetVersion, dryRun, results);
    }

    /// <summary>The checks of a dry run, on the instance as it stands under the lock.</summary>
    internal static InstanceMigrationResult Check(WorkflowExecution execution, DefinitionRecord target, MigrationPlan plan, IReadOnlyList<TaskRecord> activeTasks)
    {
        var instance = execution.Instance;
        var problems = new List<MigrationProblem>();
        if (instance.DefinitionId != plan.DefinitionId)
            problems.Add(new("other_definition", $"该实例属于流程“{instance.DefinitionId}”，不是“{plan.DefinitionId}”。"));
        if (instance.Status != WorkflowStatus.Suspended)
            problems.Add(new("instance_not_waiting", $"实例状态为 {instance.Status}，只有等待办理中的实例可以迁移。"));
        if (target.Version <= instance.DefinitionVersion)
            problems.Add(new("target_not_newer", $"实例已在版本 {instance.DefinitionVersion}，目标版本 {target.Version} 不是更新的版本。"));
        if (problems.Count > 0) return Refused(instance.Id, instance.DefinitionVersion, target.Version, [.. problems]);

        var to = DefinitionSerializer.Deserialize(target.Json);
        var toNodes = to.Root.Activities.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var current = execution.OpenBookmarks.Select(b => b.ActivityId).Concat(activeTasks.Select(t => t.ActivityId)).Distinct(StringComparer.Ordinal);
        var moves = new List<StepMove>();
        foreach (var stepId in current)
        {
            var fromNode = execution.Graph.Find(stepId);
            var fromType = fromNode?.Type ?? "?";
            var waits = execution.OpenBookmarks.Where(b => b.ActivityId == stepId).Select(b => b.Name).ToList();
            var tasks = activeTasks.Count(t => t.ActivityId == stepId);
            var explicitTarget = plan.Mapping.TryGetValue(stepId, out var mapped);
            var targetId = explicitTarget ? mapped! : stepId;
            if (!toNodes.TryGetValue(targetId, out var toNode))
            {
                problems.Add(explicitTarget
                    ? new("target_step_missing", $"当前环节“{stepId}”映射到的“{targetId}”在版本 {target.Version} 中不存在。", stepId)
                    : new("step_unmapped", $"当前环节“{Describe(fromNode, stepId)}”在版本 {target.Version} 中不存在，且未指定映射。", stepId));
                continue;
            }

            if (toNode.Type != fromType)
            {
                problems.Add(fromType == UserTask.TypeName
                    ? new("type_mismatch", $"人工审批环节“{Describe(fromNode, stepId)}”只能映射到人工审批环节，“{Describe(toNode, targetId)}”的类型是 {toNode.Type}。", stepId)
                    : new("type_mismatch", $"环节“{Describe(fromNode, stepId)}”（{fromType}）不能映射到类型不同的“{Describe(toNode, targetId)}”（{toNode.Type}）。", stepId));
                continue;
            }

            moves.Add(new StepMove(stepId, targetId, fromType, !explicitTarget, waits, tasks));
        }

        foreach (var (joinId, arrivals) in execution.State.JoinArrivals.Where(j => j.Value.Count > 0))
        {
            var targetJoin = plan.Mapping.GetValueOrDefault(joinId) ?? joinId;
            if (!toNodes.TryGetValue(targetJoin, out var node) || node.Type != Activities.BuiltIn.BuiltInTypes.Join)
            {
                problems.Add(new("join_unmapped", $"汇聚环节“{joinId}”已有分支到达，但在版本 {target.Version} 中没有对应的汇聚环节。", joinId));
                continue;
            }

            var inbound = to.Root.Connections.Where(c => c.Target.Activity == targetJoin).Select(FlowGraph.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var arrival in arrivals.Select(a => RemapArrival(a, plan.Mapping)).Where(a => !inbound.Contains(a)))
                problems.Add(new("join_arrival_lost", $"已到达汇聚环节“{joinId}”的分支“{arrival}”在版本 {target.Version} 中不再连到“{targetJoin}”。", joinId));
        }

        var added = new List<string>();
        foreach (var variable in to.Variables.Where(v => !execution.State.Variables.ContainsKey(v.Name)))
        {
            if (variable.Value is not null || plan.Variables?.ContainsKey(variable.Name) == true) added.Add(variable.Name);
            else problems.Add(new("variable_missing", $"版本 {target.Version} 声明的变量“{variable.Name}”在实例中不存在，且没有默认值；请在迁移时提供其值。"));
        }

        if (problems.Count > 0) return Refused(instance.Id, instance.DefinitionVersion, target.Version, [.. problems]) with { Steps = moves, AddedVariables = added };
        var summary = $"将从 v{instance.DefinitionVersion} 迁移到 v{target.Version}：" + string.Join("；", moves.Select(m =>
            (m.From == m.To ? $"环节“{m.From}”保持不变" : $"环节“{m.From}”移到“{m.To}”") + (m.OpenTasks > 0 ? $"（{m.OpenTasks} 个待办任务随之移动，时限不变）" : "")))
            + (added.Count > 0 ? $"；新增变量 {string.Join("、", added)}" : "") + "；实例从当前位置继续，不重新开始。";
        return new InstanceMigrationResult(instance.Id, instance.DefinitionVersion, target.Version, true, false, moves, added, [], summary);
    }

    /// <summary>Re-pins the instance and moves what waits, as checked.</summary>
    internal static void Apply(WorkflowExecution execution, DefinitionRecord target, InstanceMigrationResult checkedResult, IReadOnlyList<TaskRecord> activeTasks,
        JsonObject? given)
    {
        var mapping = checkedResult.Steps.ToDictionary(m => m.From, m => m.To, StringComparer.Ordinal);
        var variables = new JsonObject();
        var to = DefinitionSerializer.Deserialize(target.Json);
        foreach (var name in checkedResult.AddedVariables)
        {
            variables[name] = given?.TryGetPropertyValue(name, out var value) == true
                ? value?.DeepClone()
                : to.Variables.First(v => v.Name == name).Value?.DeepClone();
        }

        ApplyMapping(execution, target, mapping, variables, activeTasks);
    }

    /// <summary>The move itself; the verification replay applies a recorded migration through it too.</summary>
    internal static void ApplyMapping(WorkflowExecution execution, DefinitionRecord target, IReadOnlyDictionary<string, string> mapping,
        JsonObject variables, IReadOnlyList<TaskRecord> activeTasks)
    {
        var instance = execution.Instance;
        var from = instance.DefinitionVersion;
        instance.DefinitionVersionId = target.Id;
        instance.DefinitionVersion = target.Version;
        foreach (var bookmark in execution.OpenBookmarks)
            if (mapping.TryGetValue(bookmark.ActivityId, out var to)) bookmark.ActivityId = to;
        foreach (var task in activeTasks)
            if (mapping.TryGetValue(task.ActivityId, out var to)) task.ActivityId = to;

        var state = execution.State;
        foreach (var (name, value) in variables) state.Variables[name] = value?.DeepClone();
        foreach (var (joinId, arrivals) in state.JoinArrivals.ToList())
        {
            state.JoinArrivals.Remove(joinId);
            state.JoinArrivals[mapping.GetValueOrDefault(joinId) ?? joinId] = arrivals.Select(a => RemapArrival(a, mapping)).ToList();
        }

        foreach (var (old, renamed) in mapping.Where(m => m.Key != m.Value))
        {
            if (state.Outputs[old] is { } outputs) state.Outputs[renamed] = outputs.DeepClone();
            if (state.Data[UserTask.StageClocksKey] is JsonObject clocks && clocks[old] is { } clock)
            {
                clocks.Remove(old);
                clocks[renamed] = clock.DeepClone();
            }
        }

        var record = new JsonObject
        {
            ["fromVersion"] = from,
            ["toVersion"] = target.Version,
            ["mapping"] = new JsonObject(mapping.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["variables"] = variables.DeepClone(),
        };
        execution.Append(JournalEvents.InstanceMigrated, inputs: record, message: $"版本迁移 v{from}→v{target.Version}（migrated v{from}→v{target.Version}）");
        execution.Save();
    }

    private static string RemapArrival(string arrival, IReadOnlyDictionary<string, string> mapping)
    {
        var separator = arrival.LastIndexOf(':');
        var source = arrival[..separator];
        return mapping.TryGetValue(source, out var to) ? to + arrival[separator..] : arrival;
    }

    private static InstanceMigrationResult Refused(Guid id, int from, int to, params MigrationProblem[] problems) =>
        new(id, from, to, false, false, [], [], problems, "不能迁移：" + string.Join("；", problems.Select(p => p.Message)));

    private static string Describe(ActivityNode? node, string id) => node?.Name is { Length: > 0 } name ? $"{name}（{id}）" : id;
}
