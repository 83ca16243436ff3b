using System.Globalization;

namespace PdsWorkflow.Workflows.Calendar;

internal static class LunarDates
{
    /// <summary>The Gregorian date of a regular (non-leap) lunar month and day of the lunar year starting in <paramref name="lunarYear"/>.</summary>
    public static DateOnly ToGregorian(int lunarYear, int month, int day)
    {
        var calendar = new ChineseLunisolarCalendar();

        // GetLeapMonth gives the leap month's position among the year's 13 months; every regular month from that
        // position on sits one index later.
        var leapPosition = calendar.GetLeapMonth(lunarYear);
        var index = leapPosition != 0 && leapPosition <= month ? month + 1 : month;
        return DateOnly.FromDateTime(calendar.ToDateTime(lunarYear, index, day, 0, 0, 0, 0));
    }

    public static DateOnly NewYear(int lunarYear) => ToGregorian(lunarYear, 1, 1);
}
