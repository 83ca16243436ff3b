namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>A clock seen at an instant.</summary>
/// <param name="Deadline">The deadline in force (+08:00); while paused, the one in force when the work was returned.</param>
/// <param name="RemainingWorkingDays">Working days left after the day in progress: 0 on the deadline day and once overdue.</param>
/// <param name="OverdueWorkingDays">Working days used beyond the allowed ones.</param>
/// <param name="IsOverdue">
/// Past the deadline while running, or when the work was returned or finished. Can be true with 0 overdue working
/// days: finished on the Saturday after a Friday deadline.
/// </param>
/// <param name="Explanation">zh-CN: how the deadline was counted, from the calendar.</param>
/// <param name="ProvisionalYears">Years the figures depend on that have no State Council notice yet.</param>
public sealed record ClockStatus(
    WarningLevel Level,
    DateTimeOffset Deadline,
    int UsedWorkingDays,
    int RemainingWorkingDays,
    int OverdueWorkingDays,
    bool IsOverdue,
    string Explanation,
    IReadOnlyList<int> ProvisionalYears)
{
    public bool IsProvisional => ProvisionalYears.Count > 0;
}
