using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

public sealed class DeadlineTests
{
    private WorkingDayCalendar _calendar = null!;

    [SetUp]
    public void CreateCalendar() => _calendar = Create();

    [Test]
    public void Received_on_the_Friday_before_Spring_Festival_2026_counts_the_makeup_Saturday_first()
    {
        // Fri 02-13 received (not counted); Sat 02-14 调休上班 = WD1; 02-15..02-23 春节;
        // Tue 02-24 WD2, 02-25 WD3, 02-26 WD4, Fri 02-27 WD5.
        var result = _calendar.AddWorkingDays(Beijing(2026, 2, 13), 5);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2026, 2, 27)));
            Assert.That(result.Deadline.Offset, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(result.Skipped, Is.EqualTo(new[]
            {
                new SkippedDays(new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23), DayKind.Holiday, "春节"),
            }));
            Assert.That(result.IsProvisional, Is.False);
            Assert.That(result.ProvisionalYears, Is.Empty);
            Assert.That(result.Explanation,
                Is.EqualTo("自2026-02-13收件次日起算5个工作日，跳过春节 2026-02-15 至 2026-02-23，截止2026-02-27 23:59:59"));
        }
    }

    [Test]
    public void Received_on_the_Thursday_before_Spring_Festival_2026()
    {
        // Fri 02-13 WD1; Sat 02-14 (调休) WD2; 02-15..02-23 春节; 02-24 WD3, 02-25 WD4, 02-26 WD5.
        var result = _calendar.AddWorkingDays(Beijing(2026, 2, 12), 5);

        Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2026, 2, 26)));
    }

    [Test]
    public void Received_on_the_last_day_of_Spring_Festival_ends_on_the_makeup_Saturday()
    {
        // Mon 02-23 is 春节 and not counted; 02-24..02-27 WD1..WD4; Sat 02-28 调休上班 WD5.
        var result = _calendar.AddWorkingDays(Beijing(2026, 2, 23), 5);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2026, 2, 28)));
            Assert.That(result.Skipped, Is.Empty);
        }
    }

    [Test]
    public void A_makeup_Sunday_is_a_working_day()
    {
        // Sat 2025-01-25 received; Sun 01-26 调休上班（春节） WD1.
        var result = _calendar.AddWorkingDays(Beijing(2025, 1, 25), 1);

        Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2025, 1, 26)));
    }

    [Test]
    public void Received_on_a_makeup_Sunday_counts_from_the_next_day()
    {
        // Sun 2025-01-26 (调休) received; Mon 01-27 WD1; 01-28..02-04 春节; Wed 02-05 WD2; Thu 02-06 WD3.
        var spring2025 = _calendar.AddWorkingDays(Beijing(2025, 1, 26), 3);

        // Sun 2026-01-04 (调休) received; Mon 01-05 WD1.
        var newYear2026 = _calendar.AddWorkingDays(Beijing(2026, 1, 4), 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spring2025.Deadline, Is.EqualTo(EndOfDay(2025, 2, 6)));
            Assert.That(spring2025.Skipped.Select(run => (run.From, run.To, run.Reason)), Is.EqualTo(new[]
            {
                (new DateOnly(2025, 1, 28), new DateOnly(2025, 2, 4), "春节"),
            }));
            Assert.That(newYear2026.Deadline, Is.EqualTo(EndOfDay(2026, 1, 5)));
        }
    }

    [Test]
    public void Received_on_new_years_eve_2025_crosses_the_2026_New_Year_period_and_its_makeup_Sunday()
    {
        // Wed 2025-12-31 received; 2026-01-01..01-03 元旦; Sun 01-04 调休 WD1; Mon 01-05 WD2; Tue 01-06 WD3.
        var result = _calendar.AddWorkingDays(Beijing(2025, 12, 31), 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2026, 1, 6)));
            Assert.That(result.IsProvisional, Is.False);
            Assert.That(result.Explanation,
                Is.EqualTo("自2025-12-31收件次日起算3个工作日，跳过元旦 2026-01-01 至 2026-01-03，截止2026-01-06 23:59:59"));
        }
    }

    [Test]
    public void Received_on_a_holiday_counts_from_the_first_working_day_after_it()
    {
        // Sat 2026-10-03 (国庆) received; 10-04..10-07 国庆; Thu 10-08 WD1; Fri 10-09 WD2; Sat 10-10 调休 WD3.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calendar.AddWorkingDays(Beijing(2026, 10, 3), 2).Deadline, Is.EqualTo(EndOfDay(2026, 10, 9)));
            Assert.That(_calendar.AddWorkingDays(Beijing(2026, 10, 3), 3).Deadline, Is.EqualTo(EndOfDay(2026, 10, 10)));
        }
    }

    [Test]
    public void Ordinary_weekends_are_skipped_and_explained()
    {
        // Thu 2026-03-05 received; Fri 03-06 WD1; 03-07..03-08 周末; Mon 03-09 WD2; Tue 03-10 WD3.
        var result = _calendar.AddWorkingDays(Beijing(2026, 3, 5), 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2026, 3, 10)));
            Assert.That(result.Skipped, Is.EqualTo(new[]
            {
                new SkippedDays(new DateOnly(2026, 3, 7), new DateOnly(2026, 3, 8), DayKind.Weekend, "周末"),
            }));
            Assert.That(result.Skipped[0].Days, Is.EqualTo(2));
            Assert.That(result.Explanation,
                Is.EqualTo("自2026-03-05收件次日起算3个工作日，跳过周末 2026-03-07 至 2026-03-08，截止2026-03-10 23:59:59"));
        }
    }

    [Test]
    public void The_receipt_date_is_the_date_in_Shanghai_not_in_UTC()
    {
        // 2026-02-13T17:00Z is Sat 2026-02-14 01:00 in Shanghai (the 调休 Saturday), so 02-14 is the day of receipt;
        // 02-15..02-23 春节; Tue 02-24 WD1.
        var afterHours = _calendar.AddWorkingDays(new DateTimeOffset(2026, 2, 13, 17, 0, 0, TimeSpan.Zero), 1);

        // 2026-02-13T15:59:59Z is still Fri 02-13 23:59:59 in Shanghai; Sat 02-14 (调休) WD1.
        var lastSecond = _calendar.AddWorkingDays(new DateTimeOffset(2026, 2, 13, 15, 59, 59, TimeSpan.Zero), 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterHours.Deadline, Is.EqualTo(EndOfDay(2026, 2, 24)));
            Assert.That(afterHours.Deadline.Offset, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(afterHours.ReceivedAt, Is.EqualTo(new DateTimeOffset(2026, 2, 13, 17, 0, 0, TimeSpan.Zero)));
            Assert.That(lastSecond.Deadline, Is.EqualTo(EndOfDay(2026, 2, 14)));
        }
    }

    [Test]
    public void Zero_working_days_ends_on_the_day_of_receipt()
    {
        var afterHours = _calendar.AddWorkingDays(new DateTimeOffset(2026, 2, 13, 17, 0, 0, TimeSpan.Zero), 0);
        var onHoliday = _calendar.AddWorkingDays(Beijing(2026, 2, 16), 0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterHours.Deadline, Is.EqualTo(EndOfDay(2026, 2, 14)));
            Assert.That(afterHours.Skipped, Is.Empty);
            Assert.That(afterHours.Explanation, Is.EqualTo("自2026-02-14收件，期限0个工作日，截止收件当日2026-02-14 23:59:59"));
            Assert.That(onHoliday.Deadline, Is.EqualTo(EndOfDay(2026, 2, 16)));
        }
    }

    [Test]
    public void The_end_of_day_is_configurable()
    {
        var calendar = Create(new WorkingDayCalendarOptions { EndOfDay = new TimeOnly(17, 30) });

        var result = calendar.AddWorkingDays(Beijing(2026, 2, 13), 5);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(Beijing(2026, 2, 27, 17, 30)));
            Assert.That(result.Explanation, Does.EndWith("截止2026-02-27 17:30:00"));
        }
    }

    [Test]
    public void A_negative_number_of_working_days_is_refused() =>
        Assert.That(() => _calendar.AddWorkingDays(Beijing(2026, 2, 13), -1), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Dates_outside_2000_to_2099_are_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => _calendar.GetDay(new DateOnly(1999, 12, 31)), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => _calendar.GetDay(new DateOnly(2100, 1, 1)), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => _calendar.IsProvisional(2100), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => _calendar.AddWorkingDays(Beijing(2099, 12, 30), 5), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(_calendar.GetDay(new DateOnly(2000, 1, 1)).Kind, Is.EqualTo(DayKind.Holiday));
            Assert.That(_calendar.GetDay(new DateOnly(2099, 12, 31)).Kind, Is.EqualTo(DayKind.Workday));
        }
    }
}
