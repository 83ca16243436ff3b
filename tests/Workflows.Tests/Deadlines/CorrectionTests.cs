using PdsWorkflow.Workflows.Deadlines;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>
/// Return for correction (补正) and resubmission. The common timeline: received Thu 2026-03-05 10:00 with 5 WD
/// (Fri 03-06 WD1, Mon 03-09 WD2, Tue 03-10 WD3, Wed 03-11 WD4, Thu 03-12 WD5: deadline 03-12 23:59:59);
/// returned Tue 03-10 15:00 after 3 WD used (03-06, 03-09, 03-10); with the applicant over three working days
/// (03-11, 03-12, 03-13); resubmitted Mon 03-16 09:00.
/// </summary>
public sealed class CorrectionTests : LegalClockFixture
{
    private const string MissingFields = "请补充申请表中的字段清单和法律依据";

    [SetUp]
    public void SetTheStartTime() => Time.Set(Beijing(2026, 3, 5));

    [Test]
    public void Returning_stops_the_clock_and_time_with_the_applicant_is_not_charged()
    {
        var clock = ReceivedAndReturned(CorrectionRule.Restart, out var returned);

        // Thu 03-12 is the old deadline day, Mon 03-16 08:00 is after it: neither charges anything nor is late.
        var deadlineDay = StatusAt(clock, Beijing(2026, 3, 12, 12));
        var afterDeadline = StatusAt(clock, Beijing(2026, 3, 16, 8));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Phase, Is.EqualTo(ClockPhase.WithApplicant));
            Assert.That(Figures(deadlineDay), Is.EqualTo((WarningLevel.Paused, 3, 2, 0, false)));
            Assert.That(Figures(afterDeadline), Is.EqualTo((WarningLevel.Paused, 3, 2, 0, false)));
            Assert.That(returned.Events, Has.Count.EqualTo(1));
            var entry = returned.Events[0];
            Assert.That(entry.Kind, Is.EqualTo(ClockEventKind.ReturnedForCorrection));
            Assert.That(entry.At, Is.EqualTo(Beijing(2026, 3, 10, 15)));
            Assert.That(entry.Actor, Is.EqualTo("王海燕"));
            Assert.That(entry.Reason, Is.EqualTo(MissingFields));
            Assert.That(entry.UsedWorkingDays, Is.EqualTo(3));
            Assert.That(entry.DeadlineBefore, Is.EqualTo(EndOfDay(2026, 3, 12)));
            Assert.That(entry.DeadlineAfter, Is.EqualTo(EndOfDay(2026, 3, 12)));
            Assert.That(entry.Message, Is.EqualTo("退回补正，暂停计时，已用3个工作日。"));
        }
    }

    [Test]
    public void Restart_counts_the_full_limit_again_from_the_resubmission()
    {
        // Mon 03-16 resubmitted (not counted); Tue 03-17 WD1 .. Fri 03-20 WD4; 03-21..03-22 周末; Mon 03-23 WD5.
        var clock = ReceivedAndReturned(CorrectionRule.Restart, out _);
        Time.Set(Beijing(2026, 3, 16, 9));
        var resubmitted = clock.Resubmit(Calendar, Now, "申请单位联系人").Value;
        var resumed = resubmitted.Clock.Status(Calendar, Now);

        // Fri 03-20: 03-17..03-20 used, 1 remains.
        var friday = StatusAt(resubmitted.Clock, Beijing(2026, 3, 20));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(resubmitted.Clock.Deadline, Is.EqualTo(EndOfDay(2026, 3, 23)));
            Assert.That(resubmitted.Clock.ChargedWorkingDays, Is.Zero);
            Assert.That(resubmitted.Clock.DiscardedWorkingDays, Is.EqualTo(3));
            Assert.That(resubmitted.Clock.DeadlineExplanation, Is.EqualTo(
                "时限5个工作日，补正后重新计时（此前已用3个工作日不再计算）："
                + "自2026-03-16收件次日起算5个工作日，跳过周末 2026-03-21 至 2026-03-22，截止2026-03-23 23:59:59"));
            Assert.That(Figures(resumed), Is.EqualTo((WarningLevel.Normal, 0, 5, 0, false)));
            Assert.That(Figures(friday), Is.EqualTo((WarningLevel.Yellow, 4, 1, 0, false)));
            Assert.That(resubmitted.Events.Single().Kind, Is.EqualTo(ClockEventKind.Resubmitted));
            Assert.That(resubmitted.Events[0].Actor, Is.EqualTo("申请单位联系人"));
            Assert.That(resubmitted.Events[0].DeadlineBefore, Is.EqualTo(EndOfDay(2026, 3, 12)));
            Assert.That(resubmitted.Events[0].DeadlineAfter, Is.EqualTo(EndOfDay(2026, 3, 23)));
        }
    }

    [Test]
    public void Pause_keeps_the_used_days_and_counts_the_rest_from_the_resubmission()
    {
        // 3 used, 2 remain: Mon 03-16 resubmitted (not counted); Tue 03-17 WD4; Wed 03-18 WD5.
        var clock = ReceivedAndReturned(CorrectionRule.Pause, out _);
        Time.Set(Beijing(2026, 3, 16, 9));
        clock = clock.Resubmit(Calendar, Now).Value.Clock;

        // The three working days with the applicant (03-11..03-13) and the resubmission day are not charged.
        var resumed = StatusAt(clock, Beijing(2026, 3, 16, 12));
        var tuesday = StatusAt(clock, Beijing(2026, 3, 17, 10));
        var atDeadline = StatusAt(clock, EndOfDay(2026, 3, 18));
        Time.Advance(TimeSpan.FromTicks(1));
        var late = clock.Status(Calendar, Now);
        var thursday = StatusAt(clock, Beijing(2026, 3, 19));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2026, 3, 18)));
            Assert.That(clock.ChargedWorkingDays, Is.EqualTo(3));
            Assert.That(clock.DiscardedWorkingDays, Is.Zero);
            Assert.That(clock.DeadlineExplanation, Is.EqualTo(
                "时限5个工作日，补正前已用3个工作日：自2026-03-16收件次日起算2个工作日，截止2026-03-18 23:59:59"));
            Assert.That(Figures(resumed), Is.EqualTo((WarningLevel.Normal, 3, 2, 0, false)));
            Assert.That(Figures(tuesday), Is.EqualTo((WarningLevel.Yellow, 4, 1, 0, false)));
            Assert.That(Figures(atDeadline), Is.EqualTo((WarningLevel.Yellow, 5, 0, 0, false)));
            Assert.That(Figures(late), Is.EqualTo((WarningLevel.Red, 5, 0, 0, true)));
            Assert.That(Figures(thursday), Is.EqualTo((WarningLevel.Red, 6, 0, 1, true)));
        }
    }

    [Test]
    public void Under_pause_a_return_and_resubmission_on_the_same_day_leaves_the_deadline_where_it_was()
    {
        // Tue 03-10 is counted once (WD3), whether the clock ran on it before or after the correction:
        // 2 remain from the resubmission, Wed 03-11 and Thu 03-12.
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Pause).Clock;
        Time.Set(Beijing(2026, 3, 10, 11));
        clock = clock.ReturnForCorrection(Calendar, Now, MissingFields).Value.Clock;
        Time.Set(Beijing(2026, 3, 10, 16));
        clock = clock.Resubmit(Calendar, Now).Value.Clock;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2026, 3, 12)));
            Assert.That(clock.Status(Calendar, Now).UsedWorkingDays, Is.EqualTo(3));
        }
    }

    [Test]
    public void Under_pause_work_returned_after_the_deadline_stays_overdue()
    {
        // Returned Mon 03-16 10:00: used 03-06, 03-09..03-13, 03-16 = 7 of 5.
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Pause).Clock;
        Time.Set(Beijing(2026, 3, 16, 10));
        clock = clock.ReturnForCorrection(Calendar, Now, MissingFields).Value.Clock;
        var paused = clock.Status(Calendar, Now);

        // Resubmitted Wed 03-18 (03-17 with the applicant, 03-18 not counted): still 7 used, the passed deadline stays.
        Time.Set(Beijing(2026, 3, 18, 12));
        clock = clock.Resubmit(Calendar, Now).Value.Clock;
        var resumed = clock.Status(Calendar, Now);
        var thursday = StatusAt(clock, Beijing(2026, 3, 19));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Figures(paused), Is.EqualTo((WarningLevel.Paused, 7, 0, 2, true)));
            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2026, 3, 12)));
            Assert.That(clock.DeadlineExplanation, Is.EqualTo("时限5个工作日，补正前已用7个工作日，已超过时限，截止时间仍为2026-03-12 23:59:59"));
            Assert.That(Figures(resumed), Is.EqualTo((WarningLevel.Red, 7, 0, 2, true)));
            Assert.That(Figures(thursday), Is.EqualTo((WarningLevel.Red, 8, 0, 3, true)));
        }
    }

    [Test]
    public void The_case_clock_is_paused_by_the_same_correction_as_the_stage_clock()
    {
        // Stage: provider approval, 5 WD, Restart. Case: 10 WD, Pause (the whole case keeps what it used).
        var stage = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;
        var wholeCase = LegalClock.Start(Calendar, Now, 10, CorrectionRule.Pause).Clock;

        Time.Set(Beijing(2026, 3, 10, 15));
        stage = stage.ReturnForCorrection(Calendar, Now, MissingFields).Value.Clock;
        wholeCase = wholeCase.ReturnForCorrection(Calendar, Now, MissingFields).Value.Clock;
        Time.Set(Beijing(2026, 3, 13));
        var whileReturned = (stage.Status(Calendar, Now), wholeCase.Status(Calendar, Now));

        Time.Set(Beijing(2026, 3, 16, 9));
        stage = stage.Resubmit(Calendar, Now).Value.Clock;
        wholeCase = wholeCase.Resubmit(Calendar, Now).Value.Clock;

        // The stage finishes Wed 03-18 (03-17, 03-18 used); the case goes on: 3 + 2 used, 5 remain.
        Time.Set(Beijing(2026, 3, 18, 10));
        stage = stage.Stop(Calendar, Now, "王海燕").Value.Clock;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileReturned.Item1.Level, Is.EqualTo(WarningLevel.Paused));
            Assert.That(whileReturned.Item2.Level, Is.EqualTo(WarningLevel.Paused));
            Assert.That(whileReturned.Item2.UsedWorkingDays, Is.EqualTo(3));

            // Case: 7 remain from Mon 03-16: 03-17..03-20, 03-23..03-25.
            Assert.That(wholeCase.Deadline, Is.EqualTo(EndOfDay(2026, 3, 25)));
            Assert.That(Figures(stage.Status(Calendar, Now)), Is.EqualTo((WarningLevel.Stopped, 2, 3, 0, false)));
            Assert.That(Figures(wholeCase.Status(Calendar, Now)), Is.EqualTo((WarningLevel.Normal, 5, 5, 0, false)));
        }
    }

    [Test]
    public void Resubmitting_what_was_not_returned_is_refused()
    {
        var clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;
        Time.Set(Beijing(2026, 3, 9));

        var result = clock.Resubmit(Calendar, Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Refusal(result), Is.EqualTo("clock_not_returned"));
            Assert.That(result.Error!.Detail, Is.EqualTo("当前没有退回补正，不能重新提交补正材料。"));
        }
    }

    [Test]
    public void Returning_twice_or_without_a_reason_or_back_in_time_is_refused()
    {
        var running = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;
        Time.Set(Beijing(2026, 3, 10, 15));
        var returned = running.ReturnForCorrection(Calendar, Now, MissingFields).Value.Clock;

        using (Assert.EnterMultipleScope())
        {
            var twice = returned.ReturnForCorrection(Calendar, Now, MissingFields);
            Assert.That(Refusal(twice), Is.EqualTo("clock_with_applicant"));
            Assert.That(twice.Error!.Detail, Does.StartWith("材料已退回申请人补正，计时暂停，不能退回补正"));
            Assert.That(Refusal(running.ReturnForCorrection(Calendar, Now, " ")),
                Is.EqualTo("reason_required"));
            Assert.That(Refusal(returned.Resubmit(Calendar, Beijing(2026, 3, 10, 14))),
                Is.EqualTo("clock_out_of_order"));
        }
    }

    private LegalClock ReceivedAndReturned(CorrectionRule rule, out ClockChange returned)
    {
        Time.Set(Beijing(2026, 3, 5));
        var clock = LegalClock.Start(Calendar, Now, 5, rule).Clock;
        Time.Set(Beijing(2026, 3, 10, 15));
        returned = clock.ReturnForCorrection(Calendar, Now, MissingFields, "王海燕").Value;
        return returned.Clock;
    }
}
