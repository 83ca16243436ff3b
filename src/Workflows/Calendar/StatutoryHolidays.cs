namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// The statutory holiday days of a year under the version of 全国年节及纪念日放假办法 (第二条) in force that year.
/// </summary>
public static class StatutoryHolidays
{
    private static readonly StatuteVersion[] Versions =
    [
        // 国务院令第270号, in force from 1999-10-01.
        new(FirstYear: 1999, NewYearsEve: false, SpringFestivalDays: 3, LabourDays: 3, TraditionalFestivals: false),

        // 国务院令第513号, in force from 2008-01-01: 除夕 to 初二; 清明, 端午 and 中秋 added; 劳动节 cut to one day.
        new(FirstYear: 2008, NewYearsEve: true, SpringFestivalDays: 2, LabourDays: 1, TraditionalFestivals: true),

        // 国务院令第644号, in force from 2014-01-01: 初一 to 初三.
        new(FirstYear: 2014, NewYearsEve: false, SpringFestivalDays: 3, LabourDays: 1, TraditionalFestivals: true),

        // 国务院令第795号, in force from 2025-01-01: 除夕 to 初三, and 5月2日.
        new(FirstYear: 2025, NewYearsEve: true, SpringFestivalDays: 3, LabourDays: 2, TraditionalFestivals: true),
    ];

    /// <summary>
    /// The days in claim order: fixed-date holidays first, so a lunar festival landing on one of them (中秋 on 国庆)
    /// is the one moved.
    /// </summary>
    public static IReadOnlyList<StatutoryDay> For(int year)
    {
        var statute = Versions.Last(version => version.FirstYear <= year);
        var days = new List<StatutoryDay> { new(new DateOnly(year, 1, 1), HolidayNames.NewYear) };

        var lunarNewYear = LunarDates.NewYear(year);
        var springFestivalStart = statute.NewYearsEve ? lunarNewYear.AddDays(-1) : lunarNewYear;
        var springFestivalLength = statute.SpringFestivalDays + (statute.NewYearsEve ? 1 : 0);
        days.AddRange(Run(springFestivalStart, springFestivalLength, HolidayNames.SpringFestival));

        if (statute.TraditionalFestivals)
        {
            days.Add(new StatutoryDay(SolarTerms.Qingming(year), HolidayNames.Qingming));
        }

        days.AddRange(Run(new DateOnly(year, 5, 1), statute.LabourDays, HolidayNames.Labour));
        if (statute.TraditionalFestivals)
        {
            days.Add(new StatutoryDay(LunarDates.ToGregorian(year, 5, 5), HolidayNames.DragonBoat));
        }

        days.AddRange(Run(new DateOnly(year, 10, 1), 3, HolidayNames.National));
        if (statute.TraditionalFestivals)
        {
            days.Add(new StatutoryDay(LunarDates.ToGregorian(year, 8, 15), HolidayNames.MidAutumn));
        }

        return days;
    }

    private static IEnumerable<StatutoryDay> Run(DateOnly first, int length, string holiday) =>
        Enumerable.Range(0, length).Select(offset => new StatutoryDay(first.AddDays(offset), holiday));

    private sealed record StatuteVersion(
        int FirstYear, bool NewYearsEve, int SpringFestivalDays, int LabourDays, bool TraditionalFestivals);
}
