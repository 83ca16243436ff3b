using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

/// <summary>Years without a notice: computed from the statute and marked provisional.</summary>
public sealed class ProvisionalYearTests
{
    // calendar-facts.md, "2027 and later": the statutory days of 2027.
    private static readonly (DateOnly Date, string Holiday)[] Statutory2027 =
    [
        (new DateOnly(2027, 1, 1), "元旦"),
        (new DateOnly(2027, 2, 5), "春节"),
        (new DateOnly(2027, 2, 6), "春节"),
        (new DateOnly(2027, 2, 7), "春节"),
        (new DateOnly(2027, 2, 8), "春节"),
        (new DateOnly(2027, 4, 5), "清明节"),
        (new DateOnly(2027, 5, 1), "劳动节"),
        (new DateOnly(2027, 5, 2), "劳动节"),
        (new DateOnly(2027, 6, 9), "端午节"),
        (new DateOnly(2027, 9, 15), "中秋节"),
        (new DateOnly(2027, 10, 1), "国庆节"),
        (new DateOnly(2027, 10, 2), "国庆节"),
        (new DateOnly(2027, 10, 3), "国庆节"),
    ];

    // Article 6: Sat 02-06 and Sun 02-07 are given back on Tue 02-09 and Wed 02-10 (Mon 02-08 is already 春节);
    // Sat 05-01 and Sun 05-02 on Mon 05-03 and Tue 05-04; Sat 10-02 and Sun 10-03 on Mon 10-04 and Tue 10-05.
    private static readonly (DateOnly Date, string Holiday)[] GivenBack2027 =
    [
        (new DateOnly(2027, 2, 9), "春节"),
        (new DateOnly(2027, 2, 10), "春节"),
        (new DateOnly(2027, 5, 3), "劳动节"),
        (new DateOnly(2027, 5, 4), "劳动节"),
        (new DateOnly(2027, 10, 4), "国庆节"),
        (new DateOnly(2027, 10, 5), "国庆节"),
    ];

    private WorkingDayCalendar _calendar = null!;

    [SetUp]
    public void CreateCalendar() => _calendar = Create();

    [Test]
    public void The_statutory_days_of_2027_match_the_reference_list()
    {
        Assert.That(
            StatutoryHolidays.For(2027).Select(day => (day.Date, day.Holiday)).OrderBy(day => day.Date),
            Is.EqualTo(Statutory2027));
    }

    [Test]
    public void Every_day_of_2027_is_the_statute_plus_Article_6_and_nothing_else()
    {
        var daysOff = Statutory2027.Concat(GivenBack2027).ToDictionary(day => day.Date, day => day.Holiday);
        var mismatches = new List<string>();
        for (var date = new DateOnly(2027, 1, 1); date.Year == 2027; date = date.AddDays(1))
        {
            var actual = _calendar.GetDay(date);
            var (kind, holiday) = daysOff.TryGetValue(date, out var name)
                ? (DayKind.Holiday, name)
                : (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayKind.Weekend : DayKind.Workday, null);
            if (actual.Kind != kind || actual.HolidayName != holiday || !actual.IsProvisional)
            {
                mismatches.Add($"{date:yyyy-MM-dd}: expected {kind} {holiday}, got {actual.Kind} {actual.HolidayName}");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatches, Is.Empty);
            Assert.That(_calendar.IsProvisional(2027), Is.True);
            Assert.That(_calendar.IsProvisional(2026), Is.False);
        }
    }

    [Test]
    public void A_statutory_day_on_a_weekend_is_a_holiday_and_is_given_back_on_the_next_working_days()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calendar.GetDay(new DateOnly(2027, 5, 1)).Kind, Is.EqualTo(DayKind.Holiday));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 5, 2)).Kind, Is.EqualTo(DayKind.Holiday));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 5, 3)).Reason, Is.EqualTo("劳动节"));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 5, 4)).Reason, Is.EqualTo("劳动节"));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 5, 5)).Kind, Is.EqualTo(DayKind.Workday));
        }
    }

    [Test]
    public void The_statute_agrees_with_every_notice_of_2023_to_2026()
    {
        // Each statutory day must lie in the notice's period of the same holiday: this checks the lunar dates (2023 has
        // a leap 2nd month, 2025 a leap 6th), the Qingming rule and the 2025 amendment against published facts.
        var calendar = Create();
        var misplaced = Enumerable.Range(2023, 4)
            .SelectMany(StatutoryHolidays.For)
            .Where(day => calendar.GetDay(day.Date) is not { Kind: DayKind.Holiday } classified ||
                          !classified.HolidayName!.Contains(day.Holiday, StringComparison.Ordinal))
            .Select(day => $"{day.Date:yyyy-MM-dd} {day.Holiday}");

        Assert.That(misplaced, Is.Empty);
    }

    [Test]
    public void Before_2025_Spring_Festival_is_the_first_three_days_without_New_Years_eve()
    {
        // 2022 has no notice loaded: 初一 is Tue 2022-02-01, so 01-31 (除夕) is a working day and 02-01..02-03 are off.
        // 劳动节 is one day, Sun 2022-05-01, given back on Mon 05-02.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calendar.GetDay(new DateOnly(2022, 1, 31)).Kind, Is.EqualTo(DayKind.Workday));
            Assert.That(
                new[] { 1, 2, 3, 4 }.Select(day => _calendar.GetDay(new DateOnly(2022, 2, day)).Reason),
                Is.EqualTo(new[] { "春节", "春节", "春节", "工作日" }));
            Assert.That(_calendar.GetDay(new DateOnly(2022, 5, 2)).Reason, Is.EqualTo("劳动节"));
            Assert.That(_calendar.GetDay(new DateOnly(2022, 5, 3)).Reason, Is.EqualTo("工作日"));
            Assert.That(_calendar.IsProvisional(2022), Is.True);
        }
    }

    [Test]
    public void A_provisional_year_has_no_makeup_working_days()
    {
        var makeupDays = Enumerable.Range(0, 365)
            .Select(offset => _calendar.GetDay(new DateOnly(2027, 1, 1).AddDays(offset)))
            .Where(day => day.Kind == DayKind.MakeupWorkday);

        Assert.That(makeupDays, Is.Empty);
    }

    [Test]
    public void A_deadline_crossing_into_2027_is_provisional()
    {
        // Wed 2026-12-30 received; Thu 12-31 WD1; Fri 2027-01-01 元旦; 01-02..01-03 周末; Mon 01-04 WD2; Tue 01-05 WD3.
        var result = _calendar.AddWorkingDays(Beijing(2026, 12, 30), 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2027, 1, 5)));
            Assert.That(result.IsProvisional, Is.True);
            Assert.That(result.ProvisionalYears, Is.EquivalentTo(new[] { 2027 }));
            Assert.That(result.Skipped.Select(run => (run.From, run.To, run.Kind, run.Reason)), Is.EqualTo(new[]
            {
                (new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 1), DayKind.Holiday, "元旦"),
                (new DateOnly(2027, 1, 2), new DateOnly(2027, 1, 3), DayKind.Weekend, "周末"),
            }));
            Assert.That(result.Explanation, Is.EqualTo(
                "自2026-12-30收件次日起算3个工作日，跳过元旦 2027-01-01、周末 2027-01-02 至 2027-01-03，截止2027-01-05 23:59:59" +
                "（2027年的节假日安排尚未公布，暂按法定节假日推算，公布后将重新计算）"));
        }
    }

    [Test]
    public void A_deadline_within_2026_does_not_depend_on_2027()
    {
        var result = _calendar.AddWorkingDays(Beijing(2026, 12, 28), 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2026, 12, 31)));
            Assert.That(result.IsProvisional, Is.False);
        }
    }
}
