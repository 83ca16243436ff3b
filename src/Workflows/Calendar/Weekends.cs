namespace PdsWorkflow.Workflows.Calendar;

internal static class Weekends
{
    public static bool IsWeekend(this DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
