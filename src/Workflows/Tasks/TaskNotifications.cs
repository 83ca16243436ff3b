using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>What a human step's SLA timers do when they fire: remind the holders, and on breach record and escalate.</summary>
internal static class TaskNotifications
{
    public static async Task RemindAsync(ActivityExecutionContext context, CancellationToken cancellationToken)
    {
        var tasks = await ActiveTasksAsync(context, cancellationToken);
        foreach (var task in tasks)
        {
            context.AddEntity(TaskAudit.Action(task, TaskActions.Remind, "system", context.Execution.Now, "临近办理时限"));
            foreach (var holder in await HoldersAsync(context, task, cancellationToken))
                context.EnqueueMessage("notify.task-due-soon", UserTask.Notice(holder, task), $"{task.Id:N}:remind:{holder}");
        }

        context.AddJournalNote($"黄色预警：{tasks.Count} 项待办临近办理时限");
    }

    /// <summary>Returns whether the step should now take its escalation outcome.</summary>
    public static async Task<bool> BreachAsync(ActivityExecutionContext context, SlaSpec? sla, CancellationToken cancellationToken)
    {
        var tasks = await ActiveTasksAsync(context, cancellationToken);
        foreach (var task in tasks) context.AddEntity(TaskAudit.Action(task, TaskActions.Overdue, "system", context.Execution.Now, "已超过办理时限"));
        var deadline = tasks.Select(t => t.DueAt).FirstOrDefault();
        context.AddJournalNote("已超期：超过办理时限" + (deadline is { } d ? $" {new DateTimeOffset(d, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}" : ""));
        if (sla?.Escalation is { } escalation)
        {
            var resolver = context.GetRequiredService<AssignmentResolver>();
            var facts = CaseFacts.Of(context.Execution);
            var notified = await resolver.ResolveAsync(context.Db, facts, escalation.NotifyTo, cancellationToken);
            foreach (var user in notified.Users)
            {
                var notice = new JsonObject { ["user"] = user, ["instanceId"] = context.InstanceId.ToString(), ["activityId"] = context.ActivityId, ["title"] = tasks.FirstOrDefault()?.Title };
                context.EnqueueMessage("notify.task-overdue", notice, $"{context.ExecutionId:N}:overdue:{user}");
            }

            return escalation.TakeEscalationOutcome;
        }

        return false;
    }

    private static Task<List<TaskRecord>> ActiveTasksAsync(ActivityExecutionContext context, CancellationToken cancellationToken) =>
        context.Db.Tasks.Where(t => t.ActivityExecutionId == context.ExecutionId && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting))
            .ToListAsync(cancellationToken);

    private static async Task<IReadOnlyList<string>> HoldersAsync(ActivityExecutionContext context, TaskRecord task, CancellationToken cancellationToken) =>
        task.AssigneeId is { } assignee
            ? [assignee]
            : await context.Db.TaskCandidates.Where(c => c.TaskId == task.Id).Select(c => c.UserId).ToListAsync(cancellationToken);
}
