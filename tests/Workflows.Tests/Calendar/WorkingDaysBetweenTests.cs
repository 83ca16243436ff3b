using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

public sealed class WorkingDaysBetweenTests
{
    private static readonly int[] Spans = [1, 2, 3, 5, 10];

    private WorkingDayCalendar _calendar = null!;

    [SetUp]
    public void CreateCalendar() => _calendar = Create();

    [Test]
    public void Counting_back_from_a_deadline_gives_the_working_days_added_for_every_receipt_day_of_2026()
    {
        var inconsistent = new List<string>();
        for (var date = new DateOnly(2026, 1, 1); date.Year == 2026; date = date.AddDays(1))
        {
            var receivedAt = Beijing(date.Year, date.Month, date.Day, 9, 30);
            foreach (var span in Spans)
            {
                var deadline = _calendar.AddWorkingDays(receivedAt, span);
                var elapsed = _calendar.WorkingDaysBetween(receivedAt, deadline.Deadline);
                var lastDay = _calendar.GetDay(DateOnly.FromDateTime(deadline.Deadline.DateTime));
                if (elapsed.WorkingDays != span || elapsed.IsProvisional != deadline.IsProvisional || !lastDay.IsWorkingDay)
                {
                    inconsistent.Add($"{date:yyyy-MM-dd} + {span}: deadline {deadline.Deadline:yyyy-MM-dd} ({lastDay.Reason}), " +
                        $"counted back {elapsed.WorkingDays}, provisional {deadline.IsProvisional}/{elapsed.IsProvisional}");
                }
            }
        }

        Assert.That(inconsistent, Is.Empty);
    }

    [Test]
    public void The_time_of_day_does_not_matter_only_the_dates_in_Shanghai()
    {
        // Fri 2026-02-13 → Fri 02-27: 02-14 (调休), 02-24, 02-25, 02-26, 02-27.
        var result = _calendar.WorkingDaysBetween(Beijing(2026, 2, 13, 23, 0), Beijing(2026, 2, 27, 0, 5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.WorkingDays, Is.EqualTo(5));
            Assert.That(result.IsProvisional, Is.False);
            Assert.That(_calendar.WorkingDaysBetween(Beijing(2026, 2, 13, 8), Beijing(2026, 2, 13, 18)).WorkingDays, Is.Zero);
        }
    }

    [Test]
    public void Counting_across_years_uses_each_years_notice()
    {
        var from = new DateOnly(2023, 1, 1);
        var to = new DateOnly(2026, 12, 31);
        var expected = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            expected += _calendar.GetDay(date).IsWorkingDay ? 1 : 0;
        }

        var result = _calendar.WorkingDaysBetween(Beijing(2023, 1, 1), Beijing(2026, 12, 31));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.WorkingDays, Is.EqualTo(expected));
            Assert.That(_calendar.WorkingDaysBetween(Beijing(2025, 12, 31), Beijing(2026, 1, 6)).WorkingDays, Is.EqualTo(3));
        }
    }

    [Test]
    public void Counting_into_2027_is_provisional()
    {
        // 2026-12-31, then 2027-01-04 and 01-05 (01-01 元旦, 01-02..01-03 周末).
        var result = _calendar.WorkingDaysBetween(Beijing(2026, 12, 30), Beijing(2027, 1, 5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.WorkingDays, Is.EqualTo(3));
            Assert.That(result.ProvisionalYears, Is.EquivalentTo(new[] { 2027 }));
        }
    }

    [Test]
    public void An_end_before_the_start_is_refused() =>
        Assert.That(() => _calendar.WorkingDaysBetween(Beijing(2026, 3, 2), Beijing(2026, 3, 1)),
            Throws.TypeOf<ArgumentOutOfRangeException>());
}
