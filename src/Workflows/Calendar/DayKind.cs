namespace PdsWorkflow.Workflows.Calendar;

public enum DayKind
{
    Workday,
    Weekend,
    Holiday,

    /// <summary>A Saturday or Sunday worked in exchange for a holiday day (调休上班).</summary>
    MakeupWorkday,
}
