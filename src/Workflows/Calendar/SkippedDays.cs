namespace PdsWorkflow.Workflows.Calendar;

/// <summary>A run of consecutive non-working days with one reason, passed over while counting a deadline.</summary>
/// <param name="Reason">zh-CN: 周末 or the holiday's name.</param>
public sealed record SkippedDays(DateOnly From, DateOnly To, DayKind Kind, string Reason)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}
