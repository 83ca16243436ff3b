namespace PdsWorkflow.Workflows.Calendar;

/// <summary>One year's classification, precomputed so that every lookup is an array index. Immutable.</summary>
internal sealed class YearCalendar
{
    private readonly DayInfo[] _days;

    // _workingDaysBefore[i] is the number of working days among the year's first i days.
    private readonly int[] _workingDaysBefore;

    public YearCalendar(int year, bool isProvisional, DayInfo[] days)
    {
        Year = year;
        IsProvisional = isProvisional;
        _days = days;
        _workingDaysBefore = new int[days.Length + 1];
        for (var i = 0; i < days.Length; i++)
        {
            _workingDaysBefore[i + 1] = _workingDaysBefore[i] + (days[i].IsWorkingDay ? 1 : 0);
        }
    }

    public int Year { get; }

    public bool IsProvisional { get; }

    public int WorkingDaysInYear => _workingDaysBefore[^1];

    public DayInfo Day(DateOnly date) => _days[date.DayOfYear - 1];

    /// <summary>Working days from January 1 up to and including <paramref name="date"/>.</summary>
    public int WorkingDaysThrough(DateOnly date) => _workingDaysBefore[date.DayOfYear];

    public bool ClassifiesLike(YearCalendar other) => _days.AsSpan().SequenceEqual(other._days);
}
