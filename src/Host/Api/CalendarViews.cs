using PdsWorkflow.Workflows.Calendar;

namespace PdsWorkflow.Host.Api;

/// <summary>The calendar's answers as the API and the command line print them.</summary>
public sealed record DeadlineView(
    DateTimeOffset ReceivedAt,
    int WorkingDays,
    DateTimeOffset Deadline,
    bool Provisional,
    IReadOnlyList<int> ProvisionalYears,
    string Explanation,
    IReadOnlyList<SkippedDaysView> Skipped)
{
    public static DeadlineView From(DeadlineResult result) => new(result.ReceivedAt, result.WorkingDays, result.Deadline, result.IsProvisional,
        result.ProvisionalYears.Order().ToList(), result.Explanation,
        result.Skipped.Select(s => new SkippedDaysView(s.From, s.To, s.Kind.ToString(), s.Reason)).ToList());
}

public sealed record SkippedDaysView(DateOnly From, DateOnly To, string Kind, string Reason);

public sealed record DayView(DateOnly Date, bool Working, string Kind, string Reason, bool Provisional)
{
    public static DayView From(DayInfo day) => new(day.Date, day.IsWorkingDay, day.Kind.ToString(), day.Reason, day.IsProvisional);

    /// <summary><c>2026-02-14 work</c> or <c>2026-02-15 off 春节</c>.</summary>
    public string ToLine() => Working ? $"{Date:yyyy-MM-dd} work" : $"{Date:yyyy-MM-dd} off {Reason}";
}
