namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// The years the calendar answers for. The bounds come from the statutory computation: the Qingming rule in
/// calendar-facts.md holds for 1901–2099 and ChineseLunisolarCalendar ends in early 2101.
/// </summary>
internal static class SupportedYears
{
    public const int First = 2000;
    public const int Last = 2099;

    public static bool Contains(int year) => year is >= First and <= Last;

    public static void ThrowIfOutside(int year, string paramName)
    {
        if (!Contains(year))
        {
            throw new ArgumentOutOfRangeException(paramName, year, $"The working-day calendar covers {First}..{Last}.");
        }
    }
}
