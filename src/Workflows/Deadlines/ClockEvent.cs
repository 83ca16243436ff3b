namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>
/// One thing that happened to a clock, as written into the journal. The clock keeps all of them as its history,
/// from which <see cref="LegalClock.Recompute"/> derives the deadline again.
/// </summary>
/// <param name="At">The instant of the operation, as given by the engine (the online record time, 001 第十七条).</param>
/// <param name="Actor">Who did it, when the operation names someone.</param>
/// <param name="Reason">zh-CN, as given: why the work was returned, why an extension was asked for or refused, why a request lapsed.</param>
/// <param name="WorkingDays">Started: the limit; extension events: the working days asked for; otherwise null.</param>
public sealed record ClockEvent(ClockEventKind Kind, DateTimeOffset At, string? Actor, string? Reason, int? WorkingDays)
{
    /// <summary>The deadline in force before the event; null for <see cref="ClockEventKind.Started"/>.</summary>
    public DateTimeOffset? DeadlineBefore { get; init; }

    public DateTimeOffset DeadlineAfter { get; init; }

    /// <summary>The working days used, as counted at <see cref="At"/> once the event has happened.</summary>
    public int UsedWorkingDays { get; init; }

    /// <summary>zh-CN, for the journal and the people whose deadline it is.</summary>
    public string Message { get; init; } = "";
}
