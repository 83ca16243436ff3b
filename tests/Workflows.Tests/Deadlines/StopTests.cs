using PdsWorkflow.Workflows.Deadlines;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>
/// Stopping when the stage completes. The common start: received Fri 2026-03-06 10:00 with 5 WD
/// (Mon 03-09 WD1 .. Fri 03-13 WD5: deadline 03-13 23:59:59).
/// </summary>
public sealed class StopTests : LegalClockFixture
{
    private LegalClock _clock = null!;

    [SetUp]
    public void StartTheClock()
    {
        Time.Set(Beijing(2026, 3, 6));
        _clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;
    }

    [Test]
    public void Stopped_at_the_deadline_instant_is_onTime()
    {
        Time.Set(EndOfDay(2026, 3, 13));

        var stopped = _clock.Stop(Calendar, Now, "王海燕").Value;

        // A stopped clock reads the same at any later instant.
        var later = StatusAt(stopped.Clock, Beijing(2026, 6, 1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stopped.Clock.Phase, Is.EqualTo(ClockPhase.Stopped));
            Assert.That(Figures(later), Is.EqualTo((WarningLevel.Stopped, 5, 0, 0, false)));
            var entry = stopped.Events.Single();
            Assert.That((entry.Kind, entry.At, entry.Actor, entry.UsedWorkingDays),
                Is.EqualTo((ClockEventKind.Stopped, EndOfDay(2026, 3, 13), (string?)"王海燕", 5)));
            Assert.That(entry.Message, Is.EqualTo("停止计时，用时5个工作日（时限5个工作日），按时办结。"));
        }
    }

    [Test]
    public void Stopped_late_reports_the_overdue_working_days()
    {
        // Tue 03-17 10:00: 03-16 and 03-17 are working days past the limit.
        Time.Set(Beijing(2026, 3, 17, 10));

        var stopped = _clock.Stop(Calendar, Now).Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Figures(stopped.Clock.Status(Calendar, Now)),
                Is.EqualTo((WarningLevel.Stopped, 7, 0, 2, true)));
            Assert.That(stopped.Events.Single().Message, Is.EqualTo("停止计时，用时7个工作日（时限5个工作日），逾期2个工作日办结。"));
        }
    }

    [Test]
    public void Stopped_on_the_weekend_after_the_deadline_is_late_by_no_working_day()
    {
        Time.Set(Beijing(2026, 3, 14, 10));

        var stopped = _clock.Stop(Calendar, Now).Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Figures(stopped.Clock.Status(Calendar, Now)),
                Is.EqualTo((WarningLevel.Stopped, 5, 0, 0, true)));
            Assert.That(stopped.Events.Single().Message,
                Is.EqualTo("停止计时，用时5个工作日（时限5个工作日），超过截止时间2026-03-13 23:59:59办结。"));
        }
    }

    [Test]
    public void Stopping_while_with_the_applicant_charges_only_the_time_before_the_return()
    {
        // Returned Tue 03-10 (03-09, 03-10 used); the applicant never resubmits and the case is closed on 03-20.
        Time.Set(Beijing(2026, 3, 10, 15));
        var returned = _clock.ReturnForCorrection(Calendar, Now, "请补充法律依据").Value.Clock;
        Time.Set(Beijing(2026, 3, 20));

        var stopped = returned.Stop(Calendar, Now).Value.Clock;

        Assert.That(Figures(stopped.Status(Calendar, Now)),
            Is.EqualTo((WarningLevel.Stopped, 2, 3, 0, false)));
    }

    [Test]
    public void Stopping_lapses_a_pending_extension()
    {
        Time.Set(Beijing(2026, 3, 12));
        var pending = _clock.RequestExtension(Calendar, Now, 2, "需要核实", "李文静").Value.Clock;
        Time.Set(Beijing(2026, 3, 13));

        var stopped = pending.Stop(Calendar, Now).Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stopped.Events.Select(entry => entry.Kind),
                Is.EqualTo(new[] { ClockEventKind.ExtensionLapsed, ClockEventKind.Stopped }));
            Assert.That(stopped.Events[0].Message, Is.EqualTo("延期2个工作日的申请未审批，因办结失效。"));
            Assert.That(stopped.Clock.PendingExtension, Is.Null);
        }
    }

    [Test]
    public void Every_operation_after_the_stop_is_refused()
    {
        Time.Set(Beijing(2026, 3, 12));
        var stopped = _clock.Stop(Calendar, Now).Value.Clock;
        Time.Advance(TimeSpan.FromHours(1));
        var now = Now;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Refusal(stopped.Stop(Calendar, now)), Is.EqualTo("clock_stopped"));
            Assert.That(Refusal(stopped.ReturnForCorrection(Calendar, now, "请补充")), Is.EqualTo("clock_stopped"));
            Assert.That(Refusal(stopped.Resubmit(Calendar, now)), Is.EqualTo("clock_stopped"));
            Assert.That(Refusal(stopped.RequestExtension(Calendar, now, 1, "需要核实", "李文静")), Is.EqualTo("clock_stopped"));
            Assert.That(Refusal(stopped.ApproveExtension(Calendar, now, "周建国")), Is.EqualTo("clock_stopped"));
            Assert.That(stopped.Stop(Calendar, now).Error!.Detail, Is.EqualTo("该计时已停止（已办结），不能再停止计时。"));
        }
    }
}
