using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

/// <summary>The product's own notice files, as shipped in definitions/calendars/cn.</summary>
internal static class OfficialCalendar
{
    public static string NoticesFolder => PdsWorkflow.Tests.Support.ShippedData.NoticesFolder;

    public static IReadOnlyList<HolidayNotice> LoadNotices() => PdsWorkflow.Tests.Support.ShippedData.LoadNotices();

    public static WorkingDayCalendar Create(WorkingDayCalendarOptions? options = null) => new(LoadNotices(), options);

    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 10, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    public static DateTimeOffset EndOfDay(int year, int month, int day) => Beijing(year, month, day, 23, 59, 59);
}
