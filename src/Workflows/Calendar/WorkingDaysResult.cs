namespace PdsWorkflow.Workflows.Calendar;

public sealed record WorkingDaysResult(int WorkingDays, IReadOnlySet<int> ProvisionalYears)
{
    public bool IsProvisional => ProvisionalYears.Count > 0;
}
