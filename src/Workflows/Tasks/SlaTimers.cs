using System.Text.Json;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
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
            var due = timer.Name == UserTask.BreachBookmark ? clock.Deadline.AddSeconds(1) : yellow;
            if (timer.DueAt == due.UtcDateTime) continue;
            var passedReminder = timer.Name == UserTask.ReminderBookmark && yellow <= new DateTimeOffset(now, TimeSpan.Zero);
            execution.ReplaceTimer(timer, passedReminder ? null : due, timer.PayloadJson, actor);
        }
    }
}
