namespace PdsWorkflow.Workflows.Calendar;

/// <summary>One holiday of a notice: its inclusive run of days off and the weekend days worked for it (调休上班).</summary>
public sealed record HolidayPeriod(
    string Name,
    DateOnly FirstDayOff,
    DateOnly LastDayOff,
    IReadOnlyList<DateOnly> MakeupWorkdays)
{
    // Copied so that a notice the calendar has validated cannot change under it.
    public IReadOnlyList<DateOnly> MakeupWorkdays { get; init => field = [.. value]; } = [.. MakeupWorkdays];

    public IEnumerable<DateOnly> DaysOff()
    {
        for (var day = FirstDayOff; day <= LastDayOff; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}
