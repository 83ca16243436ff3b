using System.Collections.Frozen;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// The counting rule: the day of receipt is not counted (民法典 第二百零一条); day 1 is the first working day after
/// it, and holidays are left out (行政许可法 第八十二条); the deadline is the end of the Nth working day.
/// </summary>
internal static class DeadlineCounter
{
    private static readonly IReadOnlySet<int> NoYears = FrozenSet<int>.Empty;

    public static DeadlineResult AddWorkingDays(
        CalendarSnapshot calendar, TimeZoneInfo zone, TimeOnly endOfDay, DateTimeOffset receivedAt, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var receiptDate = LocalDate(receivedAt, zone, nameof(receivedAt));
        var skipped = new List<SkippedDays>();
        var date = receiptDate;
        DayInfo? runStart = null;
        for (var counted = 0; counted < workingDays;)
        {
            date = date.AddDays(1);
            var day = calendar.Day(date);
            if (day.IsWorkingDay)
            {
                counted++;
                CloseRun(date.AddDays(-1));
            }
            else if (runStart is not { } start || start.Kind != day.Kind || start.HolidayName != day.HolidayName)
            {
                CloseRun(date.AddDays(-1));
                runStart = day;
            }
        }

        var deadlineLocal = date.ToDateTime(endOfDay);
        var deadline = new DateTimeOffset(deadlineLocal, zone.GetUtcOffset(deadlineLocal));
        var provisionalYears = ProvisionalYears(calendar, receiptDate, date);
        var explanation = DeadlineExplanation.Write(receiptDate, workingDays, deadline, skipped, provisionalYears);
        return new DeadlineResult(receivedAt, workingDays, deadline, provisionalYears, skipped, explanation);

        void CloseRun(DateOnly lastDay)
        {
            if (runStart is { } start)
            {
                skipped.Add(new SkippedDays(start.Date, lastDay, start.Kind, start.Reason));
                runStart = null;
            }
        }
    }

    /// <summary>Working days strictly after <paramref name="from"/>'s date up to and including <paramref name="to"/>'s: the inverse of AddWorkingDays.</summary>
    public static WorkingDaysResult WorkingDaysBetween(
        CalendarSnapshot calendar, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The end must not be earlier than the start.");
        }

        var fromDate = LocalDate(from, zone, nameof(from));
        var toDate = LocalDate(to, zone, nameof(to));
        var workingDays = 0;
        for (var year = fromDate.Year; year <= toDate.Year; year++)
        {
            var yearCalendar = calendar.Year(year);
            workingDays += year == toDate.Year ? yearCalendar.WorkingDaysThrough(toDate) : yearCalendar.WorkingDaysInYear;
            workingDays -= year == fromDate.Year ? yearCalendar.WorkingDaysThrough(fromDate) : 0;
        }

        return new WorkingDaysResult(workingDays, ProvisionalYears(calendar, fromDate, toDate));
    }

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone, string paramName)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        SupportedYears.ThrowIfOutside(date.Year, paramName);
        return date;
    }

    private static IReadOnlySet<int> ProvisionalYears(CalendarSnapshot calendar, DateOnly first, DateOnly last)
    {
        SortedSet<int>? years = null;
        for (var year = first.Year; year <= last.Year; year++)
        {
            if (calendar.Year(year).IsProvisional)
            {
                (years ??= []).Add(year);
            }
        }

        return years ?? NoYears;
    }
}
