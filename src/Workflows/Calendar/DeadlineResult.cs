namespace PdsWorkflow.Workflows.Calendar;

/// <param name="Deadline">The end of the last working day, in the calendar's time zone (+08:00 for Asia/Shanghai).</param>
/// <param name="ProvisionalYears">Years between receipt and deadline that have no State Council notice yet.</param>
/// <param name="Skipped">Non-working days passed over after the day of receipt, in date order.</param>
/// <param name="Explanation">zh-CN, for the people whose deadline it is.</param>
public sealed record DeadlineResult(
    DateTimeOffset ReceivedAt,
    int WorkingDays,
    DateTimeOffset Deadline,
    IReadOnlySet<int> ProvisionalYears,
    IReadOnlyList<SkippedDays> Skipped,
    string Explanation)
{
    /// <summary>True when the deadline depends on a year computed from the statute; recompute it when that year's notice is loaded.</summary>
    public bool IsProvisional => ProvisionalYears.Count > 0;
}
