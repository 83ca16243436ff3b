using PdsWorkflow.Workflows.Deadlines;
using static PdsWorkflow.Workflows.Tests.Calendar.OfficialCalendar;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>
/// Extensions (延期) around Qingming 2026. The common start: received Fri 2026-03-27 10:00 with 5 WD
/// (03-28..03-29 周末; Mon 03-30 WD1 .. Fri 04-03 WD5: deadline 04-03 23:59:59).
/// </summary>
public sealed class ExtensionTests : LegalClockFixture
{
    private const string Requester = "李文静";
    private const string Approver = "周建国";
    private const string NeedsChecking = "涉及跨部门字段口径，需要核实";

    private LegalClock _clock = null!;

    [SetUp]
    public void StartTheClock()
    {
        Time.Set(Beijing(2026, 3, 27));
        _clock = LegalClock.Start(Calendar, Now, 5, CorrectionRule.Restart).Clock;
    }

    [Test]
    public void An_approved_extension_moves_the_deadline_by_its_working_days()
    {
        Time.Set(Beijing(2026, 4, 1, 9, 30));
        var requested = _clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester).Value;
        Time.Set(Beijing(2026, 4, 2, 16));
        var approved = requested.Clock.ApproveExtension(Calendar, Now, Approver).Value;
        var clock = approved.Clock;

        // From the deadline Fri 04-03: 04-04..04-06 清明节; Tue 04-07 +1, Wed 04-08 +2.
        var oldDeadlineDay = StatusAt(clock, Beijing(2026, 4, 3, 12));
        var tuesday = StatusAt(clock, Beijing(2026, 4, 7, 10));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(requested.Clock.Deadline, Is.EqualTo(EndOfDay(2026, 4, 3)));
            Assert.That(requested.Clock.PendingExtension, Is.EqualTo(requested.Events.Single()));
            var request = requested.Events[0];
            Assert.That(request.Kind, Is.EqualTo(ClockEventKind.ExtensionRequested));
            Assert.That((request.At, request.Actor, request.Reason, request.WorkingDays),
                Is.EqualTo((Beijing(2026, 4, 1, 9, 30), Requester, NeedsChecking, 2)));
            Assert.That(request.Message, Is.EqualTo("李文静申请延期2个工作日，待审批。"));

            Assert.That(clock.Deadline, Is.EqualTo(EndOfDay(2026, 4, 8)));
            Assert.That(clock.PendingExtension, Is.Null);
            Assert.That(clock.ExtensionWorkingDays, Is.EqualTo(2));
            Assert.That(clock.AllowedWorkingDays, Is.EqualTo(7));
            Assert.That(clock.DeadlineExplanation, Is.EqualTo(
                "时限5个工作日，延期2个工作日：自2026-03-27收件次日起算7个工作日，"
                + "跳过周末 2026-03-28 至 2026-03-29、清明节 2026-04-04 至 2026-04-06，截止2026-04-08 23:59:59"));
            var approval = approved.Events.Single();
            Assert.That(approval.Kind, Is.EqualTo(ClockEventKind.ExtensionApproved));
            Assert.That((approval.At, approval.Actor, approval.Reason, approval.WorkingDays),
                Is.EqualTo((Beijing(2026, 4, 2, 16), Approver, NeedsChecking, 2)));
            Assert.That(approval.DeadlineBefore, Is.EqualTo(EndOfDay(2026, 4, 3)));
            Assert.That(approval.DeadlineAfter, Is.EqualTo(EndOfDay(2026, 4, 8)));
            Assert.That(approval.Message, Is.EqualTo("周建国批准延期2个工作日，截止时间由2026-04-03 23:59:59延至2026-04-08 23:59:59。"));
            Assert.That(clock.History.Select(entry => entry.Kind), Is.EqualTo(new[]
            {
                ClockEventKind.Started, ClockEventKind.ExtensionRequested, ClockEventKind.ExtensionApproved,
            }));

            Assert.That(Figures(oldDeadlineDay), Is.EqualTo((WarningLevel.Normal, 5, 2, 0, false)));
            Assert.That(Figures(tuesday), Is.EqualTo((WarningLevel.Yellow, 6, 1, 0, false)));
        }
    }

    [Test]
    public void A_rejected_extension_leaves_the_deadline_and_another_may_be_asked_for()
    {
        Time.Set(Beijing(2026, 4, 1, 9, 30));
        var clock = _clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester).Value.Clock;
        Time.Set(Beijing(2026, 4, 2, 9));
        var rejected = clock.RejectExtension(Calendar, Now, Approver, "字段口径已明确，无需延期");
        Time.Set(Beijing(2026, 4, 2, 10));
        var again = rejected.Value.Clock.RequestExtension(Calendar, Now, 1, "提供方系统升级", Requester);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejected.Value.Clock.Deadline, Is.EqualTo(EndOfDay(2026, 4, 3)));
            Assert.That(rejected.Value.Clock.PendingExtension, Is.Null);
            Assert.That(rejected.Value.Clock.ExtensionWorkingDays, Is.Zero);
            var rejection = rejected.Value.Events.Single();
            Assert.That(rejection.Kind, Is.EqualTo(ClockEventKind.ExtensionRejected));
            Assert.That((rejection.At, rejection.Actor, rejection.Reason, rejection.WorkingDays),
                Is.EqualTo((Beijing(2026, 4, 2, 9), Approver, "字段口径已明确，无需延期", 2)));
            Assert.That(rejection.DeadlineBefore, Is.EqualTo(EndOfDay(2026, 4, 3)));
            Assert.That(rejection.DeadlineAfter, Is.EqualTo(EndOfDay(2026, 4, 3)));
            Assert.That(rejection.Message, Is.EqualTo("周建国驳回延期2个工作日的申请，截止时间仍为2026-04-03 23:59:59。"));
            Assert.That(Refusal(again), Is.EqualTo("succeeded"));
        }
    }

    [Test]
    public void A_second_request_while_one_is_pending_is_refused()
    {
        Time.Set(Beijing(2026, 4, 1, 9, 30));
        var clock = _clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester).Value.Clock;
        Time.Advance(TimeSpan.FromHours(1));

        var second = clock.RequestExtension(Calendar, Now, 3, "另一个理由", "张立新");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Refusal(second), Is.EqualTo("extension_pending"));
            Assert.That(second.Error!.Detail, Is.EqualTo(
                "李文静于 2026-04-01 09:30:00 申请延期2个工作日，尚未审批；同一时间只能有一个延期申请。"));
        }
    }

    [Test]
    public void No_extension_while_the_work_is_with_the_applicant_and_returning_lapses_a_pending_request()
    {
        Time.Set(Beijing(2026, 4, 1, 9, 30));
        var pending = _clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester).Value.Clock;
        Time.Set(Beijing(2026, 4, 1, 15));
        var returned = pending.ReturnForCorrection(Calendar, Now, "请补充法律依据", Approver).Value;
        Time.Advance(TimeSpan.FromHours(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(returned.Events.Select(entry => (entry.Kind, entry.Reason)), Is.EqualTo(new[]
            {
                (ClockEventKind.ExtensionLapsed, (string?)"退回补正"),
                (ClockEventKind.ReturnedForCorrection, "请补充法律依据"),
            }));
            Assert.That(returned.Events[0].Message, Is.EqualTo("延期2个工作日的申请未审批，因退回补正失效。"));
            Assert.That(returned.Clock.PendingExtension, Is.Null);
            Assert.That(Refusal(returned.Clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester)),
                Is.EqualTo("clock_with_applicant"));
            Assert.That(Refusal(returned.Clock.ApproveExtension(Calendar, Now, Approver)),
                Is.EqualTo("clock_with_applicant"));
            Assert.That(Refusal(returned.Clock.RejectExtension(Calendar, Now, Approver, "不同意")),
                Is.EqualTo("clock_with_applicant"));
        }
    }

    [Test]
    public void Invalid_or_late_requests_and_decisions_without_a_request_are_refused()
    {
        Time.Set(Beijing(2026, 4, 1, 9, 30));
        var now = Now;

        // Sat 04-04 00:00 is after the deadline of Fri 04-03.
        Time.Set(Beijing(2026, 4, 4, 0));
        var afterDeadline = _clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Refusal(_clock.RequestExtension(Calendar, now, 0, NeedsChecking, Requester)),
                Is.EqualTo("extension_days_invalid"));
            Assert.That(Refusal(_clock.RequestExtension(Calendar, now, 2, "", Requester)),
                Is.EqualTo("reason_required"));
            Assert.That(Refusal(_clock.ApproveExtension(Calendar, now, Approver)),
                Is.EqualTo("extension_not_pending"));
            Assert.That(Refusal(_clock.RejectExtension(Calendar, now, Approver, "不同意")),
                Is.EqualTo("extension_not_pending"));
            Assert.That(Refusal(afterDeadline), Is.EqualTo("extension_after_deadline"));
            Assert.That(afterDeadline.Error!.Detail, Is.EqualTo("截止时间 2026-04-03 23:59:59 已过，不能再申请延期；延期应在办理时限内申请。"));
            Assert.That(Refusal(_clock.RequestExtension(Calendar, EndOfDay(2026, 4, 3), 2, NeedsChecking, Requester)),
                Is.EqualTo("succeeded"), "the deadline instant itself is still within the limit");
        }
    }

    [Test]
    public void An_approval_after_the_deadline_of_a_timely_request_still_moves_it()
    {
        Time.Set(Beijing(2026, 4, 3, 17));
        var clock = _clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester).Value.Clock;
        Time.Set(Beijing(2026, 4, 7, 9));

        var approved = clock.ApproveExtension(Calendar, Now, Approver).Value.Clock;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(approved.Deadline, Is.EqualTo(EndOfDay(2026, 4, 8)));
            Assert.That(approved.Status(Calendar, Now).Level, Is.EqualTo(WarningLevel.Yellow));
        }
    }

    [Test]
    public void Restart_drops_extensions_granted_against_the_old_period_and_pause_keeps_them()
    {
        // Extension of 2 approved (deadline 04-08); returned Thu 04-02 10:00 after 4 WD (03-30..04-02);
        // resubmitted Thu 04-09 10:00.
        LegalClock Run(CorrectionRule rule)
        {
            Time.Set(Beijing(2026, 3, 27));
            var clock = LegalClock.Start(Calendar, Now, 5, rule).Clock;
            Time.Set(Beijing(2026, 4, 1, 9));
            clock = clock.RequestExtension(Calendar, Now, 2, NeedsChecking, Requester).Value.Clock;
            Time.Set(Beijing(2026, 4, 1, 11));
            clock = clock.ApproveExtension(Calendar, Now, Approver).Value.Clock;
            Time.Set(Beijing(2026, 4, 2, 10));
            clock = clock.ReturnForCorrection(Calendar, Now, "请补充法律依据").Value.Clock;
            Time.Set(Beijing(2026, 4, 9, 10));
            return clock.Resubmit(Calendar, Now).Value.Clock;
        }

        var restarted = Run(CorrectionRule.Restart);
        var paused = Run(CorrectionRule.Pause);

        using (Assert.EnterMultipleScope())
        {
            // Restart: 5 from Thu 04-09: 04-10, 04-13..04-16.
            Assert.That(restarted.Deadline, Is.EqualTo(EndOfDay(2026, 4, 16)));
            Assert.That(restarted.ExtensionWorkingDays, Is.Zero);
            Assert.That(restarted.DiscardedWorkingDays, Is.EqualTo(4));

            // Pause: 7 allowed - 4 used = 3 from Thu 04-09: 04-10, 04-13, 04-14.
            Assert.That(paused.Deadline, Is.EqualTo(EndOfDay(2026, 4, 14)));
            Assert.That(paused.ExtensionWorkingDays, Is.EqualTo(2));
            Assert.That(paused.ChargedWorkingDays, Is.EqualTo(4));
        }
    }
}
