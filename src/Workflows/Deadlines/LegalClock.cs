using System.Text.Json.Serialization;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>
/// A legal clock (法定时限): the working days an obligated party takes over a piece of work, against a statutory
/// limit. The engine holds one per stage and one per case, stores it as JSON, and drives both with the same
/// operations: every operation takes the calendar and the instant, and returns the next clock with the events to
/// journal, or a refusal.
/// </summary>
/// <remarks>
/// <para>Counting, consistent with <see cref="WorkingDayCalendar"/> (行政许可法 第八十二条, 民法典 第二百零一条):</para>
/// <list type="bullet">
/// <item>The day the clock starts, at receipt or at a resubmission after correction, is not counted.</item>
/// <item>Every later working day on which the clock runs, even for part of the day, is used in full. The working
/// days used over a running period are therefore <see cref="WorkingDayCalendar.WorkingDaysBetween"/> its start and
/// end, and on the deadline day all the allowed days are used and none remain.</item>
/// <item>Time with the applicant is not charged: the period runs only while the obligated party has complete
/// materials (行政许可法 第三十二条: accepted when the corrected materials arrive). A working day on which the work was
/// returned counts; the day it comes back does not, as for a receipt. A return and resubmission on the same day
/// therefore costs nothing and gives nothing back.</item>
/// <item>Late is judged at the instant: the deadline itself is on time, one tick after is late. The overdue count is
/// the working days used beyond the allowed ones.</item>
/// </list>
/// </remarks>
public sealed record LegalClock
{
    [JsonConstructor]
    private LegalClock()
    {
    }

    /// <summary>The statutory limit, from the stage's or the case's SLA setting.</summary>
    [JsonInclude]
    public int LimitWorkingDays { get; private init; }

    [JsonInclude]
    public CorrectionRule Rule { get; private init; }

    /// <summary>The clock turns yellow when at most this many working days remain.</summary>
    [JsonInclude]
    public int YellowWhenRemaining { get; private init; }

    [JsonInclude]
    public ClockPhase Phase { get; private init; }

    /// <summary>When the obligated party first received the work.</summary>
    [JsonInclude]
    public DateTimeOffset ReceivedAt { get; private init; }

    /// <summary>When the current (or last) running period began: the receipt or the last resubmission.</summary>
    [JsonInclude]
    public DateTimeOffset CountingFrom { get; private init; }

    /// <summary>When the last running period ended (returned or stopped); null while running.</summary>
    [JsonInclude]
    public DateTimeOffset? CountingUntil { get; private init; }

    /// <summary>Working days used in running periods that have ended and still count against the limit.</summary>
    [JsonInclude]
    public int ChargedWorkingDays { get; private init; }

    /// <summary>Working days used before a <see cref="CorrectionRule.Restart"/>: recorded, no longer counted.</summary>
    [JsonInclude]
    public int DiscardedWorkingDays { get; private init; }

    /// <summary>Approved extensions that still count.</summary>
    [JsonInclude]
    public int ExtensionWorkingDays { get; private init; }

    /// <summary>The deadline in force (+08:00); while with the applicant, the one in force when the work was returned.</summary>
    [JsonInclude]
    public DateTimeOffset Deadline { get; private init; }

    /// <summary>zh-CN: how the deadline was counted.</summary>
    [JsonInclude]
    public string DeadlineExplanation { get; private init; } = "";

    /// <summary>Years the deadline depends on that had no State Council notice when it was counted.</summary>
    [JsonInclude]
    public IReadOnlyList<int> ProvisionalYears { get; private init; } = [];

    [JsonInclude]
    public IReadOnlyList<ClockEvent> History { get; private init; } = [];

    /// <summary>The <see cref="ClockEventKind.ExtensionRequested"/> event awaiting a decision, if any.</summary>
    [JsonIgnore]
    public ClockEvent? PendingExtension =>
        History.LastOrDefault(entry => entry.Kind is ClockEventKind.ExtensionRequested or ClockEventKind.ExtensionApproved
            or ClockEventKind.ExtensionRejected or ClockEventKind.ExtensionLapsed) is { Kind: ClockEventKind.ExtensionRequested } pending
            ? pending
            : null;

    [JsonIgnore]
    public int AllowedWorkingDays => LimitWorkingDays + ExtensionWorkingDays;

    [JsonIgnore]
    public bool IsProvisional => ProvisionalYears.Count > 0;

    /// <summary>Starts the clock when the obligated party receives the work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative limit or threshold, an unknown rule, or a date the calendar does not cover.</exception>
    public static ClockChange Start(
        WorkingDayCalendar calendar,
        DateTimeOffset receivedAt,
        int limitWorkingDays,
        CorrectionRule rule,
        int yellowWhenRemaining = 1)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(limitWorkingDays);
        ArgumentOutOfRangeException.ThrowIfNegative(yellowWhenRemaining);
        if (!Enum.IsDefined(rule))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }

        var configured = new LegalClock
        {
            LimitWorkingDays = limitWorkingDays,
            Rule = rule,
            YellowWhenRemaining = yellowWhenRemaining,
        };
        return configured.Record(calendar, [new ClockEvent(ClockEventKind.Started, receivedAt, null, null, limitWorkingDays)]);
    }

    /// <summary>Returns the work to the applicant for correction (补正); the clock stops until <see cref="Resubmit"/>.</summary>
    /// <param name="reason">What to correct: all of it at once (行政许可法 第三十二条: 一次告知).</param>
    public WorkflowResult<ClockChange> ReturnForCorrection(
        WorkingDayCalendar calendar, DateTimeOffset at, string reason, string? returnedBy = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (RefuseUnlessRunning(at, "退回补正") is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return ClockRefusals.ReasonRequired("退回补正");
        }

        return Record(calendar,
            [.. LapsePendingExtension(at, "退回补正"), new ClockEvent(ClockEventKind.ReturnedForCorrection, at, returnedBy, reason, null)]);
    }

    /// <summary>The applicant resubmits; the clock runs again under its <see cref="Rule"/>.</summary>
    public WorkflowResult<ClockChange> Resubmit(WorkingDayCalendar calendar, DateTimeOffset at, string? resubmittedBy = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (Phase != ClockPhase.WithApplicant)
        {
            return Phase == ClockPhase.Stopped ? ClockRefusals.Stopped("重新提交补正材料") : ClockRefusals.NotReturned();
        }

        if (RefuseOutOfOrder(at) is { } refused)
        {
            return refused;
        }

        return Record(calendar, [new ClockEvent(ClockEventKind.Resubmitted, at, resubmittedBy, null, null)]);
    }

    /// <summary>Asks for <paramref name="workingDays"/> more working days (延期). Whether the requester may is the caller's check.</summary>
    public WorkflowResult<ClockChange> RequestExtension(
        WorkingDayCalendar calendar, DateTimeOffset at, int workingDays, string reason, string requestedBy)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        if (RefuseUnlessRunning(at, "申请延期") is { } refused)
        {
            return refused;
        }

        if (PendingExtension is { } pending)
        {
            return ClockRefusals.ExtensionPending(pending);
        }

        if (workingDays <= 0)
        {
            return ClockRefusals.ExtensionDaysInvalid(workingDays);
        }

        // 行政许可法 第四十二条: the applicant is told why the period is extended.
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ClockRefusals.ReasonRequired("申请延期");
        }

        if (at > Deadline)
        {
            return ClockRefusals.ExtensionAfterDeadline(Deadline);
        }

        return Record(calendar, [new ClockEvent(ClockEventKind.ExtensionRequested, at, requestedBy, reason, workingDays)]);
    }

    /// <summary>Approves the pending extension: the deadline moves on by its working days. Whether the approver holds the configured role is the caller's check.</summary>
    public WorkflowResult<ClockChange> ApproveExtension(WorkingDayCalendar calendar, DateTimeOffset at, string approvedBy)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentException.ThrowIfNullOrWhiteSpace(approvedBy);
        if (RefuseUnlessRunning(at, "审批延期") is { } refused)
        {
            return refused;
        }

        if (PendingExtension is not { } pending)
        {
            return ClockRefusals.NoPendingExtension();
        }

        return Record(calendar,
            [new ClockEvent(ClockEventKind.ExtensionApproved, at, approvedBy, pending.Reason, pending.WorkingDays)]);
    }

    /// <summary>Rejects the pending extension; the deadline stays.</summary>
    public WorkflowResult<ClockChange> RejectExtension(
        WorkingDayCalendar calendar, DateTimeOffset at, string rejectedBy, string reason)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentException.ThrowIfNullOrWhiteSpace(rejectedBy);
        if (RefuseUnlessRunning(at, "审批延期") is { } refused)
        {
            return refused;
        }

        if (PendingExtension is not { } pending)
        {
            return ClockRefusals.NoPendingExtension();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return ClockRefusals.ReasonRequired("驳回延期申请");
        }

        return Record(calendar,
            [new ClockEvent(ClockEventKind.ExtensionRejected, at, rejectedBy, reason, pending.WorkingDays)]);
    }

    /// <summary>Stops the clock when the stage or case completes; also while with the applicant (withdrawn, not corrected).</summary>
    public WorkflowResult<ClockChange> Stop(WorkingDayCalendar calendar, DateTimeOffset at, string? stoppedBy = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (Phase == ClockPhase.Stopped)
        {
            return ClockRefusals.Stopped("停止计时");
        }

        if (RefuseOutOfOrder(at) is { } refused)
        {
            return refused;
        }

        return Record(calendar,
            [.. LapsePendingExtension(at, "办结"), new ClockEvent(ClockEventKind.Stopped, at, stoppedBy, null, null)]);
    }

    /// <summary>The clock at <paramref name="at"/>; a paused or stopped clock reads the same at any instant.</summary>
    public ClockStatus Status(WorkingDayCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var used = UsedWorkingDays(calendar, at);
        var overdue = (CountingUntil ?? at) > Deadline || used > AllowedWorkingDays;
        var remaining = Math.Max(0, AllowedWorkingDays - used);
        var level = Phase switch
        {
            ClockPhase.Stopped => WarningLevel.Stopped,
            ClockPhase.WithApplicant => WarningLevel.Paused,
            _ when overdue => WarningLevel.Red,
            _ when remaining <= YellowWhenRemaining => WarningLevel.Yellow,
            _ => WarningLevel.Normal,
        };

        return new ClockStatus(level, Deadline, used, remaining, Math.Max(0, used - AllowedWorkingDays), overdue,
            DeadlineExplanation, ProvisionalYears);
    }

    /// <summary>
    /// Derives the figures again from the history on <paramref name="calendar"/>, as after a holiday notice has been
    /// loaded. When anything changed, the result holds one <see cref="ClockEventKind.Recomputed"/> event with the old
    /// and new deadline; otherwise no event and this clock.
    /// </summary>
    /// <param name="at">When the recomputation is recorded.</param>
    public ClockChange Recompute(WorkingDayCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var configured = new LegalClock { LimitWorkingDays = LimitWorkingDays, Rule = Rule, YellowWhenRemaining = YellowWhenRemaining };
        var replayed = History.Aggregate(configured, (clock, happened) => clock.Apply(calendar, happened));
        if (replayed.Deadline == Deadline
            && replayed.ChargedWorkingDays == ChargedWorkingDays
            && replayed.DiscardedWorkingDays == DiscardedWorkingDays
            && replayed.DeadlineExplanation == DeadlineExplanation
            && replayed.ProvisionalYears.SequenceEqual(ProvisionalYears))
        {
            return new ClockChange(this, []);
        }

        var settled = ProvisionalYears.Except(replayed.ProvisionalYears).ToList();
        var recomputed = new ClockEvent(ClockEventKind.Recomputed, at, null, null, null)
        {
            DeadlineBefore = Deadline,
            DeadlineAfter = replayed.Deadline,
            UsedWorkingDays = replayed.UsedWorkingDays(calendar, at),
            Message = "按最新节假日安排重新计算"
                + (settled.Count == 0 ? "" : $"（{string.Join("、", settled)}年节假日安排已公布）")
                + (replayed.Deadline == Deadline
                    ? $"：截止时间不变，仍为{ZhText.DateTime(Deadline)}。"
                    : $"：截止时间由{ZhText.DateTime(Deadline)}改为{ZhText.DateTime(replayed.Deadline)}。")
                + replayed.DeadlineExplanation,
        };
        return new ClockChange(replayed with { History = [.. History, recomputed] }, [recomputed]);
    }

    private WorkflowError? RefuseUnlessRunning(DateTimeOffset at, string action) => Phase switch
    {
        ClockPhase.Stopped => ClockRefusals.Stopped(action),
        ClockPhase.WithApplicant => ClockRefusals.WithApplicant(action),
        _ => RefuseOutOfOrder(at),
    };

    private WorkflowError? RefuseOutOfOrder(DateTimeOffset at) =>
        at < History[^1].At ? ClockRefusals.OutOfOrder(at, History[^1].At) : null;

    private IEnumerable<ClockEvent> LapsePendingExtension(DateTimeOffset at, string why) =>
        PendingExtension is { } pending
            ? [new ClockEvent(ClockEventKind.ExtensionLapsed, at, null, why, pending.WorkingDays)]
            : [];

    private int UsedWorkingDays(WorkingDayCalendar calendar, DateTimeOffset at) =>
        Phase == ClockPhase.Running && at > CountingFrom
            ? ChargedWorkingDays + calendar.WorkingDaysBetween(CountingFrom, at).WorkingDays
            : ChargedWorkingDays;

    /// <summary>Applies the events in order, completing each with the deadlines, used days and message, and appends them to the history.</summary>
    private ClockChange Record(WorkingDayCalendar calendar, ReadOnlySpan<ClockEvent> happenings)
    {
        var clock = this;
        var recorded = new List<ClockEvent>(happenings.Length);
        foreach (var happened in happenings)
        {
            var next = clock.Apply(calendar, happened);
            var status = next.Status(calendar, happened.At);
            var entry = happened with
            {
                DeadlineBefore = clock.History.Count == 0 ? null : clock.Deadline,
                DeadlineAfter = next.Deadline,
                UsedWorkingDays = status.UsedWorkingDays,
            };
            entry = entry with { Message = next.Describe(entry, status) };
            recorded.Add(entry);
            clock = next with { History = [.. next.History, entry] };
        }

        return new ClockChange(clock, recorded);
    }

    /// <summary>The one transition function: operations go through it, and <see cref="Recompute"/> replays the history through it.</summary>
    private LegalClock Apply(WorkingDayCalendar calendar, ClockEvent happened) => happened.Kind switch
    {
        ClockEventKind.Started =>
            (this with { Phase = ClockPhase.Running, ReceivedAt = happened.At, CountingFrom = happened.At }).WithDeadline(calendar),
        ClockEventKind.ReturnedForCorrection => EndRun(calendar, happened.At) with { Phase = ClockPhase.WithApplicant },
        ClockEventKind.Resubmitted => Resume(happened.At).WithDeadline(calendar),
        ClockEventKind.ExtensionApproved =>
            (this with { ExtensionWorkingDays = ExtensionWorkingDays + happened.WorkingDays.GetValueOrDefault() }).WithDeadline(calendar),
        ClockEventKind.ExtensionRequested or ClockEventKind.ExtensionRejected or ClockEventKind.ExtensionLapsed
            or ClockEventKind.Recomputed => this,
        ClockEventKind.Stopped => (Phase == ClockPhase.Running ? EndRun(calendar, happened.At) : this) with { Phase = ClockPhase.Stopped },
        _ => throw new ArgumentOutOfRangeException(nameof(happened), happened.Kind, null),
    };

    private LegalClock EndRun(WorkingDayCalendar calendar, DateTimeOffset at) => this with
    {
        ChargedWorkingDays = ChargedWorkingDays + calendar.WorkingDaysBetween(CountingFrom, at).WorkingDays,
        CountingUntil = at,
    };

    private LegalClock Resume(DateTimeOffset at)
    {
        var resumed = this with { Phase = ClockPhase.Running, CountingFrom = at, CountingUntil = null };
        return Rule == CorrectionRule.Pause
            ? resumed
            : resumed with
            {
                DiscardedWorkingDays = DiscardedWorkingDays + ChargedWorkingDays,
                ChargedWorkingDays = 0,
                ExtensionWorkingDays = 0,
            };
    }

    /// <summary>
    /// The deadline is the end of the working day on which the used days reach the allowed ones. Counting all the
    /// remaining days from the start of the running period gives the same day as moving the deadline by each
    /// extension in turn, so extensions need no separate arithmetic.
    /// </summary>
    private LegalClock WithDeadline(WorkingDayCalendar calendar)
    {
        var terms = $"时限{LimitWorkingDays}个工作日"
            + (ExtensionWorkingDays > 0 ? $"，延期{ExtensionWorkingDays}个工作日" : "")
            + (ChargedWorkingDays > 0 ? $"，补正前已用{ChargedWorkingDays}个工作日" : "")
            + (DiscardedWorkingDays > 0 ? $"，补正后重新计时（此前已用{DiscardedWorkingDays}个工作日不再计算）" : "");
        var remaining = AllowedWorkingDays - ChargedWorkingDays;
        if (remaining < 0)
        {
            // Returned after the deadline under Pause: the passed deadline stays so that the clock stays red.
            return this with { DeadlineExplanation = $"{terms}，已超过时限，截止时间仍为{ZhText.DateTime(Deadline)}" };
        }

        var counted = calendar.AddWorkingDays(CountingFrom, remaining);
        var provisionalYears = ChargedWorkingDays > 0
            ? counted.ProvisionalYears.Union(calendar.WorkingDaysBetween(ReceivedAt, CountingFrom).ProvisionalYears)
            : counted.ProvisionalYears;
        return this with
        {
            Deadline = counted.Deadline,
            DeadlineExplanation = $"{terms}：{counted.Explanation}",
            ProvisionalYears = [.. provisionalYears.Order()],
        };
    }

    private string Describe(ClockEvent happened, ClockStatus status) => happened.Kind switch
    {
        ClockEventKind.Started =>
            $"开始计时（{(Rule == CorrectionRule.Pause ? "补正期间暂停计时" : "补正后重新计时")}）。{DeadlineExplanation}",
        ClockEventKind.ReturnedForCorrection => $"退回补正，暂停计时，已用{ChargedWorkingDays}个工作日。",
        ClockEventKind.Resubmitted => $"补正材料已重新提交，恢复计时。{DeadlineExplanation}",
        ClockEventKind.ExtensionRequested => $"{happened.Actor}申请延期{happened.WorkingDays}个工作日，待审批。",
        ClockEventKind.ExtensionApproved =>
            $"{happened.Actor}批准延期{happened.WorkingDays}个工作日，截止时间由{ZhText.DateTime(happened.DeadlineBefore!.Value)}延至{ZhText.DateTime(Deadline)}。",
        ClockEventKind.ExtensionRejected =>
            $"{happened.Actor}驳回延期{happened.WorkingDays}个工作日的申请，截止时间仍为{ZhText.DateTime(Deadline)}。",
        ClockEventKind.ExtensionLapsed => $"延期{happened.WorkingDays}个工作日的申请未审批，因{happened.Reason}失效。",
        ClockEventKind.Stopped => $"停止计时，用时{status.UsedWorkingDays}个工作日（时限{AllowedWorkingDays}个工作日{(ExtensionWorkingDays > 0 ? "，含延期" : "")}），"
            + (status.OverdueWorkingDays > 0 ? $"逾期{status.OverdueWorkingDays}个工作日办结。"
                : status.IsOverdue ? $"超过截止时间{ZhText.DateTime(Deadline)}办结。"
                : "按时办结。"),
        _ => happened.Message,
    };
}
