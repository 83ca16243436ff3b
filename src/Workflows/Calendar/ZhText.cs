using System.Globalization;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>How dates read in the zh-CN texts shown to users and admins.</summary>
internal static class ZhText
{
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Weekday(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Monday => "周一",
        DayOfWeek.Tuesday => "周二",
        DayOfWeek.Wednesday => "周三",
        DayOfWeek.Thursday => "周四",
        DayOfWeek.Friday => "周五",
        DayOfWeek.Saturday => "周六",
        _ => "周日",
    };

    public static string DateRange(DateOnly from, DateOnly to) => from == to ? Date(from) : $"{Date(from)} 至 {Date(to)}";
}
