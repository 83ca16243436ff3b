using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

/// <summary>
/// Waits for the branches that lead here. Wait-all fires when every inbound connection has arrived, or when no branch
/// that could still arrive is pending (a decision took another way). Wait-any fires on the first arrival and cancels
/// the other branches.
/// </summary>
[Activity(BuiltInTypes.Join, Category = BuiltInTypes.ControlFlow, DisplayName = "汇聚", Description = "等待并行分支：全部到达（会合）或任一到达（其余取消）。")]
[Replayable]
public sealed class Join : Activity
{
    public const string WaitAll = "WaitAll";
    public const string WaitAny = "WaitAny";

    [Input(DisplayName = "等待方式", UIHint = UIHints.Dropdown, DefaultValue = WaitAll, Options = [WaitAll, WaitAny], SupportsExpression = false)]
    public Input<string> Mode { get; set; } = default!;

    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var execution = context.Execution;
        var arrivals = execution.State.JoinArrivals.TryGetValue(context.ActivityId, out var list) ? list : execution.State.JoinArrivals[context.ActivityId] = [];
        if (context.Via is { } via && !arrivals.Contains(via)) arrivals.Add(via);

        if (context.Get(Mode) == WaitAny)
        {
            execution.State.JoinArrivals.Remove(context.ActivityId);
            await execution.CancelBranchesLeadingToAsync(context.ActivityId, "汇聚（任一）条件已满足，其余分支取消", context.CancellationToken);
            context.Complete(Done);
            return;
        }

        var inbound = execution.Graph.Inbound(context.ActivityId).Select(FlowGraph.Key).Distinct();
        if (inbound.All(arrivals.Contains) || !execution.HasPendingWorkLeadingTo(context.ActivityId))
        {
            execution.State.JoinArrivals.Remove(context.ActivityId);
            context.Complete(Done);
        }
    }
}
