using PdsWorkflow.Workflows.Deadlines;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>Start, deadline and warning levels, with exact boundary instants.</summary>
public sealed class ClockStatusTests : LegalClockFixture
{
    [SetUp]
    public void SetTheStartTime() => Time.Set(Beijing(2026, 2, 13));

    [Test]
    public void Deadline_received_before_Spring_Festival_2026_counts_the_makeup_Saturday()
    {
        // Fri 02-13 received (not counted); Sat 02-14 调休上班 WD1; 02-15..02-23 春节; 02-24 WD2 .. Fri 02-27 WD5.
        var change = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(change.Clock.Deadline, Is.EqualTo(EndOfDay(2026, 2, 27)));
            Assert.That(change.Clock.Deadline.Offset, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(change.Clock.Phase, Is.EqualTo(ClockPhase.Running));
            Assert.That(change.Clock.IsProvisional, Is.False);
            Assert.That(change.Clock.DeadlineExplanation, Is.EqualTo(
                "时限5个工作日：自2026-02-13收件次日起算5个工作日，跳过春节 2026-02-15 至 2026-02-23，截止2026-02-27 23:59:59"));
            Assert.That(change.Events, Has.Count.EqualTo(1));
            Assert.That(change.Events[0].Kind, Is.EqualTo(ClockEventKind.Started));
            Assert.That(change.Events[0].At, Is.EqualTo(Beijing(2026, 2, 13)));
            Assert.That(change.Events[0].WorkingDays, Is.EqualTo(5));
            Assert.That(change.Events[0].DeadlineBefore, Is.Null);
            Assert.That(change.Events[0].DeadlineAfter, Is.EqualTo(EndOfDay(2026, 2, 27)));
            Assert.That(change.Clock.History, Is.EqualTo(change.Events));
        }
    }

    [Test]
    public void Levels_turn_yellow_when_one_working_day_remains_and_red_one_tick_after_the_deadline()
    {
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;

        // Receipt day: nothing used, 5 remain.
        var received = clock.Status(Calendar, Now);

        // Sat 02-14 (调休上班) is WD1 even in the morning: a day begun counts in full.
        var makeupSaturday = StatusAt(clock, Beijing(2026, 2, 14, 9));

        // 春节 uses nothing: still 1 used on Fri 02-20.
        var holiday = StatusAt(clock, Beijing(2026, 2, 20));

        // Last tick of Wed 02-25: used 02-14, 02-24, 02-25 = 3; 2 remain (Thu, Fri).
        Time.Set(Beijing(2026, 2, 26, 0));
        Time.Advance(TimeSpan.FromTicks(-1));
        var lastNormal = clock.Status(Calendar, Now);

        // Thu 02-26 00:00:00: used 4, 1 remains (Fri).
        Time.Advance(TimeSpan.FromTicks(1));
        var firstYellow = clock.Status(Calendar, Now);

        // The deadline instant itself is on time.
        var atDeadline = StatusAt(clock, EndOfDay(2026, 2, 27));

        Time.Advance(TimeSpan.FromTicks(1));
        var oneTickLate = clock.Status(Calendar, Now);

        // Sat 02-28 is 调休上班: a sixth working day is used.
        var makeupSaturdayLate = StatusAt(clock, Beijing(2026, 2, 28));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Figures(received), Is.EqualTo((WarningLevel.Normal, 0, 5, 0, false)));
            Assert.That(Figures(makeupSaturday), Is.EqualTo((WarningLevel.Normal, 1, 4, 0, false)));
            Assert.That(Figures(holiday), Is.EqualTo((WarningLevel.Normal, 1, 4, 0, false)));
            Assert.That(Figures(lastNormal), Is.EqualTo((WarningLevel.Normal, 3, 2, 0, false)));
            Assert.That(Figures(firstYellow), Is.EqualTo((WarningLevel.Yellow, 4, 1, 0, false)));
            Assert.That(Figures(atDeadline), Is.EqualTo((WarningLevel.Yellow, 5, 0, 0, false)));
            Assert.That(Figures(oneTickLate), Is.EqualTo((WarningLevel.Red, 5, 0, 0, true)));
            Assert.That(Figures(makeupSaturdayLate), Is.EqualTo((WarningLevel.Red, 6, 0, 1, true)));
            Assert.That(oneTickLate.Deadline, Is.EqualTo(EndOfDay(2026, 2, 27)));
            Assert.That(oneTickLate.Explanation, Is.EqualTo(clock.DeadlineExplanation));
        }
    }

    [Test]
    public void A_deadline_on_a_makeup_Saturday_with_a_yellow_threshold_of_two()
    {
        // Mon 02-23 (春节, receipt) not counted; 02-24..02-27 WD1..WD4; Sat 02-28 调休上班 WD5.
        Time.Set(Beijing(2026, 2, 23));
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart, yellowWhenRemaining: 2).Clock;

        var wednesday = StatusAt(clock, Beijing(2026, 2, 25, 23, 59, 59));
        var thursday = StatusAt(clock, Beijing(2026, 2, 26, 0));
        var deadlineDay = StatusAt(clock, Beijing(2026, 2, 28, 18));

        // Sun 03-01 is an ordinary weekend day: late, but no working day past the limit is used yet.
        var sunday = StatusAt(clock, Beijing(2026, 3, 1));
        var monday = StatusAt(clock, Beijing(2026, 3, 2, 0));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2026, 2, 28)));
            Assert.That(clock.YellowWhenRemaining, Is.EqualTo(2));
            Assert.That(Figures(wednesday), Is.EqualTo((WarningLevel.Normal, 2, 3, 0, false)));
            Assert.That(Figures(thursday), Is.EqualTo((WarningLevel.Yellow, 3, 2, 0, false)));
            Assert.That(Figures(deadlineDay), Is.EqualTo((WarningLevel.Yellow, 5, 0, 0, false)));
            Assert.That(Figures(sunday), Is.EqualTo((WarningLevel.Red, 5, 0, 0, true)));
            Assert.That(Figures(monday), Is.EqualTo((WarningLevel.Red, 6, 0, 1, true)));
        }
    }

    [Test]
    public void Received_in_the_evening_in_UTC_terms_counts_from_the_Beijing_date()
    {
        // 2026-02-13T17:00Z is Sat 02-14 01:00 in Beijing (调休上班, the receipt day); 02-15..02-23 春节; Tue 02-24 WD1.
        Time.Set(new DateTimeOffset(2026, 2, 13, 17, 0, 0, TimeSpan.Zero));
        var clock = LegalClock.Start(Calendar, Now, 1, CorrectionRule.Restart).Clock;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2026, 2, 24)));
            Assert.That(clock.Status(Calendar, Now).Level, Is.EqualTo(WarningLevel.Yellow));
        }
    }

    [Test]
    public void Invalid_settings_are_programming_errors()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => LegalClock.Start(Calendar, Now, -1, CorrectionRule.Restart),
                Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart, yellowWhenRemaining: -1),
                Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => LegalClock.Start(Calendar, Now, 5, (CorrectionRule)7),
                Throws.TypeOf<ArgumentOutOfRangeException>());
        }
    }

}
