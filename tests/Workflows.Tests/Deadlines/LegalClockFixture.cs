using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tests.Calendar;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>The shipped calendar and a manual clock; tests move the clock and take every instant from it.</summary>
public abstract class LegalClockFixture
{
    protected WorkingDayCalendar Calendar { get; private set; } = null!;

    protected ManualClock Time { get; private set; } = null!;

    protected DateTimeOffset Now => Time.GetUtcNow();

    [SetUp]
    public void CreateCalendarAndTime()
    {
        Calendar = OfficialCalendar.Create();
        Time = new ManualClock();
    }

    /// <summary>Moves the clock to <paramref name="instant"/> and reads <paramref name="clock"/> there.</summary>
    protected ClockStatus StatusAt(LegalClock clock, DateTimeOffset instant)
    {
        Time.Set(instant);
        return clock.Status(Calendar, Now);
    }

    /// <summary>The numbers an inbox shows, as one value to compare.</summary>
    protected static (WarningLevel Level, int Used, int Remaining, int Overdue, bool IsOverdue) Figures(ClockStatus status) =>
        (status.Level, status.UsedWorkingDays, status.RemainingWorkingDays, status.OverdueWorkingDays, status.IsOverdue);

    /// <summary>The refusal's code, or "succeeded".</summary>
    protected static string Refusal(WorkflowResult<ClockChange> result) => result.Error?.Code ?? "succeeded";
}
