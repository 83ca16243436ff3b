using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Benchmarks;

/// <summary>Deadline computations per second on the shipped calendar, over receipts spread across 2023–2027.</summary>
internal static class CalendarBenchmark
{
    public static void Run(string repositoryRoot)
    {
        var loaded = HolidayNoticeFolder.Load(Path.Combine(repositoryRoot, "definitions", "calendars", "cn"));
        var calendar = new WorkingDayCalendar(loaded.Notices);
        var start = new DateTimeOffset(2023, 1, 1, 9, 30, 0, TimeSpan.FromHours(8));
        var receipts = Enumerable.Range(0, 1826).Select(d => start.AddDays(d).AddMinutes(d * 7 % 600)).ToArray();
        int[] limits = [1, 2, 3, 5, 10];

        var deadlines = Measure.OperationsPerSecond(i => calendar.AddWorkingDays(receipts[i % receipts.Length], limits[i % limits.Length]), TimeSpan.FromSeconds(1));
        var between = Measure.OperationsPerSecond(i => calendar.WorkingDaysBetween(receipts[i % receipts.Length], receipts[i % receipts.Length].AddDays(20 + i % 60)), TimeSpan.FromSeconds(1));
        var days = Measure.OperationsPerSecond(i => calendar.GetDay(DateOnly.FromDateTime(receipts[i % receipts.Length].DateTime)), TimeSpan.FromSeconds(1));

        Report.Section("Calendar", "Each figure is the median of five one-second rounds after a warm-up; receipts over 2023–2027, limits 1–10 working days.");
        Report.Table("operation", "per second");
        Report.Row("`AddWorkingDays` (deadline with its zh-CN explanation)", Measure.Format(deadlines));
        Report.Row("`WorkingDaysBetween` over 20–80 days", Measure.Format(between));
        Report.Row("`GetDay`", Measure.Format(days));
    }
}
