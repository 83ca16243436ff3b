using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

internal static class ClockFigures
{
    /// <summary>The numbers an inbox shows, as one value to compare.</summary>
    public static (WarningLevel Level, int Used, int Remaining, int Overdue, bool IsOverdue) Of(ClockStatus status) =>
        (status.Level, status.UsedWorkingDays, status.RemainingWorkingDays, status.OverdueWorkingDays, status.IsOverdue);

    /// <summary>The refusal's code, or "succeeded".</summary>
    public static string Refusal(WorkflowResult<ClockChange> result) => result.Error?.Code ?? "succeeded";
}
