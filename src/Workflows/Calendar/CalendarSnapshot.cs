using System.Collections.Immutable;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// The notices and every supported year built from them. Immutable: loading a notice makes a new snapshot, so a
/// reader that holds one sees a consistent calendar for a whole computation.
/// </summary>
internal sealed class CalendarSnapshot
{
    private readonly YearCalendar[] _years;

    private CalendarSnapshot(ImmutableSortedDictionary<int, HolidayNotice> notices, YearCalendar[] years)
    {
        Notices = notices;
        NoticeList = [.. notices.Values];
        _years = years;
    }

    public ImmutableSortedDictionary<int, HolidayNotice> Notices { get; }

    public IReadOnlyList<HolidayNotice> NoticeList { get; }

    public static CalendarSnapshot Create(ImmutableSortedDictionary<int, HolidayNotice> notices)
    {
        var years = new YearCalendar[SupportedYears.Last - SupportedYears.First + 1];
        for (var year = SupportedYears.First; year <= SupportedYears.Last; year++)
        {
            years[year - SupportedYears.First] = YearCalendarBuilder.Build(year, notices);
        }

        return new CalendarSnapshot(notices, years);
    }

    /// <summary>A snapshot with <paramref name="notice"/> added or replacing its year's; only the years it can touch are rebuilt.</summary>
    public CalendarSnapshot With(HolidayNotice notice)
    {
        var notices = Notices.SetItem(notice.Year, notice);
        var years = (YearCalendar[])_years.Clone();
        for (var year = notice.Year - 1; year <= notice.Year + 1; year++)
        {
            if (SupportedYears.Contains(year))
            {
                years[year - SupportedYears.First] = YearCalendarBuilder.Build(year, notices);
            }
        }

        return new CalendarSnapshot(notices, years);
    }

    public YearCalendar Year(int year)
    {
        SupportedYears.ThrowIfOutside(year, nameof(year));
        return _years[year - SupportedYears.First];
    }

    public DayInfo Day(DateOnly date)
    {
        SupportedYears.ThrowIfOutside(date.Year, nameof(date));
        return _years[date.Year - SupportedYears.First].Day(date);
    }
}
