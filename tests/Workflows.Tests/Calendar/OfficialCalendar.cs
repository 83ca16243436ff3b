using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

/// <summary>The product's own notice files, as shipped in definitions/calendars/cn.</summary>
internal static class OfficialCalendar
{
    private static readonly Lazy<string> Folder = new(FindNoticesFolder);

    public static string NoticesFolder => Folder.Value;

    public static IReadOnlyList<HolidayNotice> LoadNotices()
    {
        var loaded = HolidayNoticeFolder.Load(NoticesFolder);
        Assert.That(loaded.Errors, Is.Empty, "the shipped notice files must be valid");
        return loaded.Notices;
    }

    public static WorkingDayCalendar Create(WorkingDayCalendarOptions? options = null) => new(LoadNotices(), options);

    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 10, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    public static DateTimeOffset EndOfDay(int year, int month, int day) => Beijing(year, month, day, 23, 59, 59);

    private static string FindNoticesFolder()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
             directory is not null;
             directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PdsWorkflow.sln")))
            {
                return Path.Combine(directory.FullName, "definitions", "calendars", "cn");
            }
        }

        throw new InvalidOperationException(
            $"No PdsWorkflow.sln above {TestContext.CurrentContext.TestDirectory}; cannot find the notice files.");
    }
}
