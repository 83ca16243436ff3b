using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

public sealed class CalendarRegistrationTests
{
    [Test]
    public void The_calendar_is_a_singleton_loaded_from_the_notices_folder()
    {
        using var provider = new ServiceCollection()
            .AddWorkingDayCalendar(options => options.NoticesPath = OfficialCalendar.NoticesFolder)
            .BuildServiceProvider();

        var calendar = provider.GetRequiredService<WorkingDayCalendar>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<WorkingDayCalendar>(), Is.SameAs(calendar));
            Assert.That(calendar.Notices.Select(notice => notice.Year), Is.EqualTo(new[] { 2023, 2024, 2025, 2026 }));
            Assert.That(calendar.IsProvisional(2026), Is.False);
        }
    }

    [Test]
    public void The_options_are_used_by_the_registered_calendar()
    {
        using var provider = new ServiceCollection()
            .AddWorkingDayCalendar(options =>
            {
                options.NoticesPath = OfficialCalendar.NoticesFolder;
                options.EndOfDay = new TimeOnly(17, 30);
            })
            .BuildServiceProvider();

        var deadline = provider.GetRequiredService<WorkingDayCalendar>().AddWorkingDays(OfficialCalendar.Beijing(2026, 2, 13), 5);

        Assert.That(deadline.Deadline, Is.EqualTo(OfficialCalendar.Beijing(2026, 2, 27, 17, 30)));
    }

    [Test]
    public void Bad_settings_stop_start_up_and_are_each_named()
    {
        using var provider = new ServiceCollection()
            .AddWorkingDayCalendar(options =>
            {
                options.NoticesPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
                options.EndOfDay = TimeOnly.MinValue;
                options.TimeZoneId = "Mars/Olympus_Mons";
            })
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = failure!.Failures.ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Has.Count.EqualTo(3));
            Assert.That(failures, Has.Some.StartsWith("WorkingDayCalendarOptions.EndOfDay "));
            Assert.That(failures, Has.Some.StartsWith("WorkingDayCalendarOptions.TimeZoneId 'Mars/Olympus_Mons'"));
            Assert.That(failures, Has.Some.StartsWith("WorkingDayCalendarOptions.NoticesPath ").And.Contains("找不到节假日通知目录"));
        }
    }

    [Test]
    public void The_default_settings_are_valid_when_the_folder_exists()
    {
        var options = new WorkingDayCalendarOptions { NoticesPath = OfficialCalendar.NoticesFolder };

        var result = new WorkingDayCalendarOptionsValidator().Validate(null, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.FailureMessage);
            Assert.That(options.EndOfDay, Is.EqualTo(new TimeOnly(23, 59, 59)));
            Assert.That(options.TimeZoneId, Is.EqualTo("Asia/Shanghai"));
        }
    }

    [Test]
    public void An_empty_notices_path_is_named()
    {
        var result = new WorkingDayCalendarOptionsValidator().Validate(null, new WorkingDayCalendarOptions { NoticesPath = " " });

        Assert.That(result.Failures, Has.Some.StartsWith("WorkingDayCalendarOptions.NoticesPath is empty"));
    }
}
