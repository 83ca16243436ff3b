using System.Text.Json;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Keeps a step's tasks and SLA timers in line with its legal clock when the clock's deadline moves.</summary>
internal static class SlaTimers
{
    /// <summary>Writes the clock's figures onto a task.</summary>
    public static void Apply(TaskRecord task, LegalClock clock, WorkingDayCalendar calendar)
    {
        task.ClockJson = JsonSerializer.Serialize(clock, UserTask.Json);
        task.DueAt = clock.Deadline.UtcDateTime;
        task.YellowAt = SlaTimes.YellowAt(calendar, clock).UtcDateTime;
        task.ProvisionalYears = clock.IsProvisional ? string.Join(',', clock.ProvisionalYears.Order()) : null;
    }

    /// <summary>Replaces the reminder and breach timers of a step execution with ones at the clock's new times.</summary>
    public static void Reschedule(WorkflowExecution execution, Guid activityExecutionId, LegalClock clock, WorkingDayCalendar calendar, string? actor)
    {
        var now = execution.Now;
        var yellow = SlaTimes.YellowAt(calendar, clock);
        foreach (var timer in execution.OpenBookmarks.Where(b => b.ActivityExecutionId == activityExecutionId
                     && b.Name is UserTask.ReminderBookmark or UserTask.BreachBookmark).ToList())
        {
            DateTimeOffset? due = timer.Name == UserTask.BreachBookmark ? clock.Deadline.AddSeconds(1) : yellow;
            if (timer.DueAt == due?.UtcDateTime) continue;
            execution.CloseBookmark(timer, BookmarkStatus.Cancelled, actor);
            if (timer.Name == UserTask.ReminderBookmark && yellow <= new DateTimeOffset(now, TimeSpan.Zero)) continue;
            execution.AddBookmark(new BookmarkRecord
            {
                Id = Guid.NewGuid(), InstanceId = timer.InstanceId, ActivityId = timer.ActivityId, ActivityExecutionId = timer.ActivityExecutionId,
                Name = timer.Name, DueAt = due!.Value.UtcDateTime, Attempt = timer.Attempt, Status = BookmarkStatus.Open, CreatedAt = now,
            });
        }
    }
}
