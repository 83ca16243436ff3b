namespace PdsWorkflow.Workflows.Calendar;

internal static class SolarTerms
{
    private static readonly int[] AprilFourthFrom = [1976, 2009, 2042, 2075];

    /// <summary>The day of the Qingming solar term, by the rule in calendar-facts.md (valid 1901–2099).</summary>
    public static DateOnly Qingming(int year)
    {
        var cycle = year % 4;
        if (year >= AprilFourthFrom[cycle])
        {
            return new DateOnly(year, 4, 4);
        }

        return (cycle == 2 && year <= 1910) || (cycle == 3 && year <= 1943)
            ? new DateOnly(year, 4, 6)
            : new DateOnly(year, 4, 5);
    }
}
