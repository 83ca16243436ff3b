using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// 延期: a holder asks for more working days; the step's <c>sla.extensionApprovers</c> (by default the configured fallback,
/// <see cref="AssignmentOptions.Fallback"/>) approve or reject it, and an approved extension moves the step's deadline and its SLA timers.
/// </summary>
internal sealed class TaskExtensionRequests(TaskCommands commands, AssignmentResolver resolver)
{
    public Task<WorkflowResult<TaskView>> RequestAsync(Guid taskId, string actor, int workingDays, string? reason, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.ReasonRequired("申请延期"))
            : commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
            {
                if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
                if (c.Clock is not { } legalClock) return TaskErrors.Conflict("no_deadline", "该环节没有办理时限，无需延期。");
                var change = legalClock.RequestExtension(commands.Calendar, c.NowOffset, workingDays, reason!, actor);
                if (!change.IsSuccess) return change.Error!;
                c.Change(TaskActions.RequestExtension, reason, () =>
                {
                    c.Clock = change.Value.Clock;
                    c.Task.RequestExtension();
                }, extra: new JsonObject { ["workingDays"] = workingDays });
                // The request reaches those who decide it (the step's extensionApprovers, by default the fallback).
                foreach (var approver in (await ApproversAsync(c, ct)).Where(u => u != actor))
                    c.Notify(approver, "notify.extension-requested", extra: new JsonObject { ["workingDays"] = workingDays.ToString(), ["reason"] = reason });
                return commands.View(c.Task);
            }, cancellationToken);

    public Task<WorkflowResult<TaskView>> DecideAsync(Guid taskId, string actor, bool approve, string? reason, CancellationToken cancellationToken) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (c.Clock is not { PendingExtension: not null } legalClock) return TaskErrors.Conflict("no_pending_extension", "该待办没有待审批的延期申请。");
            if (!(await ApproversAsync(c, ct)).Contains(actor)) return TaskErrors.Forbidden("not_extension_approver", "您无权审批该延期申请。");
            if (!approve && string.IsNullOrWhiteSpace(reason)) return TaskErrors.ReasonRequired("不同意延期");
            var change = approve
                ? legalClock.ApproveExtension(commands.Calendar, c.NowOffset, actor)
                : legalClock.RejectExtension(commands.Calendar, c.NowOffset, actor, reason!);
            if (!change.IsSuccess) return change.Error!;
            c.Change(approve ? TaskActions.ApproveExtension : TaskActions.RejectExtension, reason, () =>
            {
                c.Clock = change.Value.Clock;
                c.Task.ExtensionDecided();
            });
            if (approve) await MoveDeadlineAsync(c, change.Value.Clock, ct);
            foreach (var holder in await TaskCommands.HoldersAsync(c.Db, c.Task, ct)) c.Notify(holder, approve ? "notify.extension-approved" : "notify.extension-rejected");
            return commands.View(c.Task);
        }, cancellationToken);

    /// <summary>Whether <paramref name="user"/> decides the pending extension of a task (for the actions a task view offers).</summary>
    public async Task<bool> DecidesAsync(TaskRecord task, string user, CancellationToken cancellationToken)
    {
        if (!task.ExtensionPending) return false;
        var services = commands.Services;
        var instance = await services.GetRequiredService<WorkflowQueries>().GetInstanceAsync(task.InstanceId, cancellationToken);
        if (instance is null) return false;
        var definition = await services.GetRequiredService<Definitions.WorkflowDefinitionStore>().GetAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        var sla = definition?.Root.Activities.FirstOrDefault(a => a.Id == task.ActivityId)?.GetInput("sla")?.Expression.Value?.Deserialize<SlaSpec>(UserTask.Json);
        var facts = (JsonObject)instance.Input.DeepClone();
        foreach (var (name, value) in instance.Variables) facts[name] = value?.DeepClone();
        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(cancellationToken);
        return (await resolver.ExtensionApproversAsync(db, new CaseFacts(instance.Initiator, facts), sla, cancellationToken)).Contains(user);
    }

    /// <summary>Who decides an extension of this task's deadline.</summary>
    private async Task<IReadOnlyList<string>> ApproversAsync(TaskCommand c, CancellationToken ct)
    {
        var sla = c.Execution.Graph.Find(c.Task.ActivityId)?.GetInput("sla")?.Expression.Value?.Deserialize<SlaSpec>(UserTask.Json);
        return await resolver.ExtensionApproversAsync(c.Db, CaseFacts.Of(c.Execution), sla, ct);
    }

    /// <summary>An approved extension moves the step's deadline: the tasks' due instants and the SLA timers follow.</summary>
    private async Task MoveDeadlineAsync(TaskCommand c, LegalClock legalClock, CancellationToken ct)
    {
        var calendar = commands.Calendar;
        foreach (var task in await c.GroupAsync(ct))
            if (task.Id != c.Task.Id) SlaTimers.Apply(task, legalClock, calendar);
        SlaTimers.Apply(c.Task, legalClock, calendar);
        SlaTimers.Reschedule(c.Execution, c.Task.ActivityExecutionId, legalClock, calendar, c.Actor);
        c.Execution.Append(JournalEvents.Note, c.Task.ActivityId, UserTask.TypeName, c.Task.ActivityExecutionId,
            message: $"延期获批，办理时限调整为 {legalClock.Deadline:yyyy-MM-dd HH:mm}");
    }
}
