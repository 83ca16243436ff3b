using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>
/// Deadlines in 2027, which has no notice in definitions/calendars/cn: counted from the statute, then recomputed
/// once a notice is loaded.
/// </summary>
/// <remarks>
/// Provisional 2027 (国务院令第795号): 元旦 Fri 01-01; 春节 除夕 Fri 02-05 to 初三 Mon 02-08, with Sat 02-06 and
/// Sun 02-07 given back on Tue 02-09 and Wed 02-10; no makeup workdays. The test notice below instead has
/// 春节 02-05..02-12 off and Sun 01-31 and Sat 02-20 worked.
/// </remarks>
public sealed class RecomputeTests : LegalClockFixture
{
    // Made up for the test, with only the holidays these deadlines cross: the real 2027 notice is not published yet.
    private const string Notice2027 = """
        {
          "year": 2027,
          "noticeNumber": "国办发明电〔2026〕98号",
          "publishedOn": "2026-11-12",
          "source": "国务院办公厅关于2027年部分节假日安排的通知（截止时间重算测试用）",
          "periods": [
            { "name": "元旦", "firstDayOff": "2027-01-01", "lastDayOff": "2027-01-03", "makeupWorkdays": [] },
            { "name": "春节", "firstDayOff": "2027-02-05", "lastDayOff": "2027-02-12", "makeupWorkdays": ["2027-01-31", "2027-02-20"] }
          ]
        }
        """;

    [SetUp]
    public void SetTheStartTime() => Time.Set(Beijing(2026, 12, 31));

    [Test]
    public void A_deadline_in_2027_is_provisional()
    {
        // Thu 2026-12-31 received; Fri 2027-01-01 元旦; 01-02..01-03 周末; Mon 01-04 WD1 .. Fri 01-08 WD5.
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;
        var status = clock.Status(Calendar, Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2027, 1, 8)));
            Assert.That(clock.IsProvisional, Is.True);
            Assert.That(clock.ProvisionalYears, Is.EqualTo(new[] { 2027 }));
            Assert.That(status.IsProvisional, Is.True);
            Assert.That(status.ProvisionalYears, Is.EqualTo(new[] { 2027 }));
            Assert.That(status.Explanation, Does.EndWith("（2027年的节假日安排尚未公布，暂按法定节假日推算，公布后将重新计算）"));
        }
    }

    [Test]
    public void Loading_the_2027_notice_moves_a_provisional_deadline_and_recompute_reports_it()
    {
        // Provisional: Fri 01-29 received; Mon 02-01 WD1 .. Thu 02-04 WD4; 02-05..02-10 off; Thu 02-11 WD5.
        Time.Set(Beijing(2027, 1, 29));
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;

        var unchanged = clock.Recompute(Calendar, Now);
        LoadNotice2027();

        // With the notice: Sat 01-30 周末; Sun 01-31 调休上班 WD1; Mon 02-01 WD2 .. Thu 02-04 WD5.
        Time.Set(Beijing(2027, 1, 30, 9));
        var recomputed = clock.Recompute(Calendar, Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2027, 2, 11)));
            Assert.That(clock.IsProvisional, Is.True);
            Assert.That(unchanged.Clock, Is.SameAs(clock));
            Assert.That(unchanged.Events, Is.Empty);

            Assert.That(recomputed.Clock.Deadline, Is.EqualTo(EndOfDay(2027, 2, 4)));
            Assert.That(recomputed.Clock.IsProvisional, Is.False);
            Assert.That(recomputed.Clock.DeadlineExplanation, Is.EqualTo(
                "时限5个工作日：自2027-01-29收件次日起算5个工作日，跳过周末 2027-01-30，截止2027-02-04 23:59:59"));
            var entry = recomputed.Events.Single();
            Assert.That(entry.Kind, Is.EqualTo(ClockEventKind.Recomputed));
            Assert.That(entry.At, Is.EqualTo(Beijing(2027, 1, 30, 9)));
            Assert.That(entry.DeadlineBefore, Is.EqualTo(EndOfDay(2027, 2, 11)));
            Assert.That(entry.DeadlineAfter, Is.EqualTo(EndOfDay(2027, 2, 4)));
            Assert.That(entry.Message, Does.StartWith(
                "按最新节假日安排重新计算（2027年节假日安排已公布）：截止时间由2027-02-11 23:59:59改为2027-02-04 23:59:59。"));
            Assert.That(recomputed.Clock.History[^1], Is.EqualTo(entry));
            Assert.That(recomputed.Clock.Recompute(Calendar, Now).Events, Is.Empty);
        }
    }

    [Test]
    public void Recompute_replays_extensions_returns_and_resubmissions()
    {
        // Pause clock, 5 WD, received Fri 2027-01-29; extension of 2 approved (7 allowed); returned Wed 02-03 10:00;
        // resubmitted Mon 02-08 10:00.
        Time.Set(Beijing(2027, 1, 29));
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Pause).Clock;
        Time.Set(Beijing(2027, 2, 1, 10));
        clock = clock.RequestExtension(Calendar, Now, 2, "需要核实", "李文静").Value.Clock;
        Time.Set(Beijing(2027, 2, 2, 10));
        clock = clock.ApproveExtension(Calendar, Now, "周建国").Value.Clock;
        Time.Set(Beijing(2027, 2, 3, 10));
        clock = clock.ReturnForCorrection(Calendar, Now, "请补充法律依据").Value.Clock;
        Time.Set(Beijing(2027, 2, 8, 10));
        clock = clock.Resubmit(Calendar, Now).Value.Clock;

        LoadNotice2027();
        var recomputed = clock.Recompute(Calendar, Now);

        using (Assert.EnterMultipleScope())
        {
            // Provisional: used 02-01..02-03 = 3, 4 remain: 02-09, 02-10 off; Thu 02-11, Fri 02-12, Mon 02-15, Tue 02-16.
            Assert.That(clock.ChargedWorkingDays, Is.EqualTo(3));
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2027, 2, 16)));
            Assert.That(clock.IsProvisional, Is.True);

            // Notice: used Sun 01-31 (调休), 02-01..02-03 = 4, 3 remain: 02-09..02-12 春节, 02-13..02-14 周末;
            // Mon 02-15, Tue 02-16, Wed 02-17.
            Assert.That(recomputed.Clock.ChargedWorkingDays, Is.EqualTo(4));
            Assert.That(recomputed.Clock.ExtensionWorkingDays, Is.EqualTo(2));
            Assert.That(recomputed.Clock.Deadline, Is.EqualTo(EndOfDay(2027, 2, 17)));
            Assert.That(recomputed.Clock.IsProvisional, Is.False);
            Assert.That(recomputed.Clock.Phase, Is.EqualTo(ClockPhase.Running));
            Assert.That(recomputed.Events.Single().DeadlineBefore, Is.EqualTo(EndOfDay(2027, 2, 16)));
            Assert.That(recomputed.Events.Single().DeadlineAfter, Is.EqualTo(EndOfDay(2027, 2, 17)));
            Assert.That(recomputed.Clock.History.Take(clock.History.Count), Is.EqualTo(clock.History),
                "the history is kept as it was recorded");
        }
    }

    private void LoadNotice2027()
    {
        var parsed = HolidayNoticeReader.Parse(Notice2027);
        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(Calendar.LoadNotice(parsed.Notice!).Succeeded, Is.True);
    }
}
