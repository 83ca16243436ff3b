using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;

namespace PdsWorkflow.Workflows.Tasks;

internal static class SlaTimes
{
    /// <summary>
    /// The instant a step turns yellow: the start of the day from which at most <c>YellowWhenRemaining</c> working days
    /// remain after the day in progress, i.e. of the (Y+1)-th working day counted back from the deadline's day.
    /// </summary>
    public static DateTimeOffset YellowAt(WorkingDayCalendar calendar, LegalClock clock)
    {
        var deadline = clock.Deadline;
        var date = DateOnly.FromDateTime(deadline.DateTime);
        var counted = 0;
        while (true)
        {
            if (calendar.GetDay(date).IsWorkingDay && ++counted == clock.YellowWhenRemaining + 1) break;
            if (date.Year <= WorkingDayCalendar.FirstSupportedYear) break;
            date = date.AddDays(-1);
        }

        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), deadline.Offset);
        return start < clock.CountingFrom ? clock.CountingFrom : start;
    }
}
