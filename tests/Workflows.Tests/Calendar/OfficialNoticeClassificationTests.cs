using System.Globalization;
using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

/// <summary>Every day of 2023–2026 against the State Council notices as typed in from calendar-facts.md.</summary>
public sealed class OfficialNoticeClassificationTests
{
    // (holiday, first day off, last day off, makeup working days): calendar-facts.md, "The notices".
    private static readonly (string Holiday, string First, string Last, string[] Makeup)[] Facts =
    [
        // 2023: 国办发明电〔2022〕16号
        ("元旦", "2022-12-31", "2023-01-02", []),
        ("春节", "2023-01-21", "2023-01-27", ["2023-01-28", "2023-01-29"]),
        ("清明节", "2023-04-05", "2023-04-05", []),
        ("劳动节", "2023-04-29", "2023-05-03", ["2023-04-23", "2023-05-06"]),
        ("端午节", "2023-06-22", "2023-06-24", ["2023-06-25"]),
        ("中秋节、国庆节", "2023-09-29", "2023-10-06", ["2023-10-07", "2023-10-08"]),

        // 2024: 国办发明电〔2023〕7号
        ("元旦", "2024-01-01", "2024-01-01", []),
        ("春节", "2024-02-10", "2024-02-17", ["2024-02-04", "2024-02-18"]),
        ("清明节", "2024-04-04", "2024-04-06", ["2024-04-07"]),
        ("劳动节", "2024-05-01", "2024-05-05", ["2024-04-28", "2024-05-11"]),
        ("端午节", "2024-06-10", "2024-06-10", []),
        ("中秋节", "2024-09-15", "2024-09-17", ["2024-09-14"]),
        ("国庆节", "2024-10-01", "2024-10-07", ["2024-09-29", "2024-10-12"]),

        // 2025: 国办发明电〔2024〕12号
        ("元旦", "2025-01-01", "2025-01-01", []),
        ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("清明节", "2025-04-04", "2025-04-06", []),
        ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
        ("端午节", "2025-05-31", "2025-06-02", []),
        ("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),

        // 2026: 国办发明电〔2025〕7号
        ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明节", "2026-04-04", "2026-04-06", []),
        ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", []),
        ("中秋节", "2026-09-25", "2026-09-27", []),
        ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ];

    private static readonly (string Number, string PublishedOn)[] NoticeNumbers =
    [
        ("国办发明电〔2022〕16号", "2022-12-08"),
        ("国办发明电〔2023〕7号", "2023-10-25"),
        ("国办发明电〔2024〕12号", "2024-11-12"),
        ("国办发明电〔2025〕7号", "2025-11-04"),
    ];

    [Test]
    public void Every_day_of_2023_to_2026_is_classified_as_the_notices_say()
    {
        var calendar = OfficialCalendar.Create();
        var expected = ExpectedDays();
        var mismatches = new List<string>();
        for (var date = new DateOnly(2023, 1, 1); date <= new DateOnly(2026, 12, 31); date = date.AddDays(1))
        {
            var (kind, holiday) = expected.GetValueOrDefault(date, (Ordinary(date), null));
            var actual = calendar.GetDay(date);
            if (actual.Kind != kind || actual.HolidayName != holiday || actual.IsProvisional || actual.Date != date)
            {
                mismatches.Add($"{date:yyyy-MM-dd}: expected {kind} {holiday}, got {actual.Kind} {actual.HolidayName}" +
                    (actual.IsProvisional ? " (provisional)" : ""));
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void The_2023_notice_also_classifies_2022_12_31_as_New_Year()
    {
        var day = OfficialCalendar.Create().GetDay(new DateOnly(2022, 12, 31));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(day.Kind, Is.EqualTo(DayKind.Holiday));
            Assert.That(day.HolidayName, Is.EqualTo("元旦"));
            Assert.That(day.IsWorkingDay, Is.False);
        }
    }

    [Test]
    public void Reasons_read_in_Chinese()
    {
        var calendar = OfficialCalendar.Create();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calendar.GetDay(new DateOnly(2026, 3, 7)).Reason, Is.EqualTo("周末"));
            Assert.That(calendar.GetDay(new DateOnly(2026, 3, 9)).Reason, Is.EqualTo("工作日"));
            Assert.That(calendar.GetDay(new DateOnly(2026, 2, 17)).Reason, Is.EqualTo("春节"));
            Assert.That(calendar.GetDay(new DateOnly(2026, 2, 14)).Reason, Is.EqualTo("调休上班（春节）"));
            Assert.That(calendar.GetDay(new DateOnly(2026, 2, 14)).IsWorkingDay, Is.True);
            Assert.That(calendar.GetDay(new DateOnly(2023, 10, 7)).Reason, Is.EqualTo("调休上班（中秋节、国庆节）"));
        }
    }

    [Test]
    public void The_shipped_files_carry_the_notice_numbers_and_publication_dates()
    {
        var notices = OfficialCalendar.LoadNotices();

        Assert.That(
            notices.Select(notice => (notice.Year, notice.NoticeNumber, notice.PublishedOn)),
            Is.EqualTo(NoticeNumbers.Select((entry, i) => (2023 + i, entry.Number, Day(entry.PublishedOn)))));
        Assert.That(notices.Select(notice => notice.Source),
            Is.EqualTo(new[] { 2023, 2024, 2025, 2026 }.Select(year => $"国务院办公厅关于{year}年部分节假日安排的通知")));
    }

    [Test]
    public void Years_with_a_notice_are_not_provisional()
    {
        var calendar = OfficialCalendar.Create();

        Assert.That(Enumerable.Range(2023, 4).Where(calendar.IsProvisional), Is.Empty);
    }

    private static Dictionary<DateOnly, (DayKind, string?)> ExpectedDays()
    {
        var days = new Dictionary<DateOnly, (DayKind, string?)>();
        foreach (var (holiday, first, last, makeup) in Facts)
        {
            for (var date = Day(first); date <= Day(last); date = date.AddDays(1))
            {
                days.Add(date, (DayKind.Holiday, holiday));
            }

            foreach (var date in makeup.Select(Day))
            {
                Assert.That(date.DayOfWeek, Is.AnyOf(DayOfWeek.Saturday, DayOfWeek.Sunday), "test table typo");
                days.Add(date, (DayKind.MakeupWorkday, holiday));
            }
        }

        return days;
    }

    private static DayKind Ordinary(DateOnly date) =>
        date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? DayKind.Weekend : DayKind.Workday;

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
