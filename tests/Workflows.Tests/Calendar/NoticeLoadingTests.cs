using System.Collections.Concurrent;
using NUnit.Framework;
using PdsWorkflow.Workflows.Calendar;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Calendar;

/// <summary>Loading a notice at run time, as an admin upload does.</summary>
public sealed class NoticeLoadingTests
{
    // A plausible 2027 notice, made up for the test: the real one is not published yet.
    private const string Notice2027 = """
        {
          "year": 2027,
          "noticeNumber": "国办发明电〔2026〕99号",
          "publishedOn": "2026-11-10",
          "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
          "periods": [
            { "name": "元旦", "firstDayOff": "2027-01-01", "lastDayOff": "2027-01-03", "makeupWorkdays": [] },
            { "name": "春节", "firstDayOff": "2027-02-05", "lastDayOff": "2027-02-12", "makeupWorkdays": ["2027-01-31", "2027-02-20"] },
            { "name": "清明节", "firstDayOff": "2027-04-03", "lastDayOff": "2027-04-05", "makeupWorkdays": [] },
            { "name": "劳动节", "firstDayOff": "2027-05-01", "lastDayOff": "2027-05-05", "makeupWorkdays": ["2027-04-25"] },
            { "name": "端午节", "firstDayOff": "2027-06-09", "lastDayOff": "2027-06-09", "makeupWorkdays": [] },
            { "name": "中秋节", "firstDayOff": "2027-09-15", "lastDayOff": "2027-09-15", "makeupWorkdays": [] },
            { "name": "国庆节", "firstDayOff": "2027-10-01", "lastDayOff": "2027-10-07", "makeupWorkdays": ["2027-09-26", "2027-10-09"] }
          ]
        }
        """;

    private WorkingDayCalendar _calendar = null!;

    [SetUp]
    public void CreateCalendar() => _calendar = Create();

    [Test]
    public void Loading_the_2027_notice_replaces_the_provisional_year()
    {
        var events = new List<NoticeLoadedEventArgs>();
        _calendar.NoticeLoaded += (_, args) => events.Add(args);
        var before = _calendar.AddWorkingDays(Beijing(2026, 12, 30), 3);

        var result = _calendar.LoadNotice(Parse(Notice2027));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.ReplacedProvisional, Is.True);
            Assert.That(result.ReplacedNotice, Is.Null);
            Assert.That(result.PreviouslyProvisionalYears, Is.EqualTo(new[] { 2027 }));
            Assert.That(result.ChangedYears, Is.EqualTo(new[] { 2027 }));
            Assert.That(_calendar.IsProvisional(2027), Is.False);
            Assert.That(_calendar.Notices.Select(notice => notice.Year), Is.EqualTo(new[] { 2023, 2024, 2025, 2026, 2027 }));
            Assert.That(events, Has.Count.EqualTo(1));
            Assert.That(events[0].Year, Is.EqualTo(2027));
            Assert.That(events[0].ReplacedProvisional, Is.True);
            Assert.That(events[0].Result, Is.SameAs(result));
            Assert.That(before.ProvisionalYears, Is.EquivalentTo(new[] { 2027 }));
        }
    }

    [Test]
    public void Loading_the_2027_notice_changes_how_its_days_are_classified()
    {
        var provisionalSunday = _calendar.GetDay(new DateOnly(2027, 1, 31));
        var provisionalFriday = _calendar.GetDay(new DateOnly(2027, 2, 12));

        _calendar.LoadNotice(Parse(Notice2027));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provisionalSunday.Kind, Is.EqualTo(DayKind.Weekend));
            Assert.That(provisionalSunday.IsProvisional, Is.True);
            Assert.That(provisionalFriday.Kind, Is.EqualTo(DayKind.Workday));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 1, 31)).Reason, Is.EqualTo("调休上班（春节）"));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 1, 31)).IsProvisional, Is.False);
            Assert.That(_calendar.GetDay(new DateOnly(2027, 2, 12)).Reason, Is.EqualTo("春节"));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 4, 3)).Reason, Is.EqualTo("清明节"));
            Assert.That(_calendar.GetDay(new DateOnly(2027, 10, 9)).Kind, Is.EqualTo(DayKind.MakeupWorkday));
        }
    }

    [Test]
    public void A_deadline_recomputed_after_the_2027_notice_is_no_longer_provisional()
    {
        _calendar.LoadNotice(Parse(Notice2027));

        // Wed 2026-12-30 received; Thu 12-31 WD1; 2027-01-01..01-03 元旦; Mon 01-04 WD2; Tue 01-05 WD3.
        var result = _calendar.AddWorkingDays(Beijing(2026, 12, 30), 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Deadline, Is.EqualTo(EndOfDay(2027, 1, 5)));
            Assert.That(result.IsProvisional, Is.False);
            Assert.That(result.Explanation, Does.Not.Contain("尚未公布"));
        }
    }

    [Test]
    public void An_invalid_notice_is_refused_and_changes_nothing()
    {
        var raised = false;
        _calendar.NoticeLoaded += (_, _) => raised = true;
        var notice = Parse(Notice2027) with
        {
            Periods = [new HolidayPeriod("元旦", new DateOnly(2027, 1, 3), new DateOnly(2027, 1, 1), [])],
        };

        var result = _calendar.LoadNotice(notice);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Errors.Select(error => error.Message),
                Is.EqualTo(new[] { "元旦：放假末日 2027-01-01 早于首日 2027-01-03。" }));
            Assert.That(_calendar.IsProvisional(2027), Is.True);
            Assert.That(_calendar.Notices, Has.Count.EqualTo(4));
            Assert.That(raised, Is.False);
        }
    }

    [Test]
    public void A_corrected_notice_replaces_the_one_for_its_year()
    {
        var original = _calendar.Notices.Single(notice => notice.Year == 2026);
        var corrected = original with
        {
            NoticeNumber = "国办发明电〔2025〕7号（更正）",
            Periods = [.. original.Periods.Where(period => period.Name != "端午节")],
        };

        var result = _calendar.LoadNotice(corrected);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ReplacedNotice, Is.SameAs(original));
            Assert.That(result.ReplacedProvisional, Is.False);
            Assert.That(result.PreviouslyProvisionalYears, Is.Empty);
            Assert.That(result.ChangedYears, Is.EqualTo(new[] { 2026 }));
            Assert.That(_calendar.GetDay(new DateOnly(2026, 6, 19)).Kind, Is.EqualTo(DayKind.Workday));
            Assert.That(_calendar.Notices.Single(notice => notice.Year == 2026), Is.SameAs(corrected));
        }
    }

    [Test]
    public void A_notice_reaching_into_the_previous_year_reports_that_year_too()
    {
        var calendar = new WorkingDayCalendar([]);
        var notice2023 = LoadNotices().Single(notice => notice.Year == 2023);

        var result = calendar.LoadNotice(notice2023);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.PreviouslyProvisionalYears, Is.EqualTo(new[] { 2022, 2023 }));
            Assert.That(result.ChangedYears, Is.EqualTo(new[] { 2022, 2023 }));
            Assert.That(calendar.GetDay(new DateOnly(2022, 12, 31)).Reason, Is.EqualTo("元旦"));
            Assert.That(calendar.IsProvisional(2022), Is.True);
            Assert.That(calendar.IsProvisional(2023), Is.False);
        }
    }

    [Test]
    public void Readers_see_either_the_old_or_the_new_year_while_a_notice_loads()
    {
        var notice = Parse(Notice2027);
        var sunday = new DateOnly(2027, 1, 31);
        var seen = new ConcurrentBag<DayKind>();

        Parallel.For(0, 2000, i =>
        {
            if (i == 1000)
            {
                _calendar.LoadNotice(notice);
            }

            seen.Add(_calendar.GetDay(sunday).Kind);
            _ = _calendar.AddWorkingDays(Beijing(2027, 1, 29), 2);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Distinct(), Is.SubsetOf(new[] { DayKind.Weekend, DayKind.MakeupWorkday }));
            Assert.That(_calendar.GetDay(sunday).Kind, Is.EqualTo(DayKind.MakeupWorkday));
        }
    }

    [Test]
    public void Constructing_with_two_notices_for_one_year_is_a_programming_error()
    {
        var notice = Parse(Notice2027);

        Assert.That(() => new WorkingDayCalendar([notice, notice]), Throws.ArgumentException);
    }

    private static HolidayNotice Parse(string json)
    {
        var parsed = HolidayNoticeReader.Parse(json, "2027.json");
        Assert.That(parsed.Errors, Is.Empty);
        return parsed.Notice!;
    }
}
