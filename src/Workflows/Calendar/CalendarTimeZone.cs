namespace PdsWorkflow.Workflows.Calendar;

internal static class CalendarTimeZone
{
    // China has kept +08:00 without daylight saving since 1991, so a fixed zone is exact for the supported years
    // when the host has no time zone database.
    private static readonly TimeZoneInfo FixedShanghai = TimeZoneInfo.CreateCustomTimeZone(
        WorkingDayCalendarOptions.ShanghaiTimeZoneId, TimeSpan.FromHours(8), "China Standard Time (+08:00)", "CST");

    public static bool TryFind(string id, out TimeZoneInfo zone)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        zone = FixedShanghai;
        return id == WorkingDayCalendarOptions.ShanghaiTimeZoneId;
    }
}
