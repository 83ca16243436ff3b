namespace PdsWorkflow.Workflows.Calendar;

public sealed class WorkingDayCalendarOptions
{
    public const string ShanghaiTimeZoneId = "Asia/Shanghai";

    /// <summary>The time of day a deadline falls at on its last working day.</summary>
    public TimeOnly EndOfDay { get; set; } = new(23, 59, 59);

    /// <summary>The folder of notice files (one JSON per year); a relative path is resolved against the working directory.</summary>
    public string NoticesPath { get; set; } = "definitions/calendars/cn";

    /// <summary>The zone deadlines are counted in; the platform's record times are Beijing time.</summary>
    public string TimeZoneId { get; set; } = ShanghaiTimeZoneId;
}
