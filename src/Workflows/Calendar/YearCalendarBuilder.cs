namespace PdsWorkflow.Workflows.Calendar;

internal static class YearCalendarBuilder
{
    /// <summary>
    /// Builds a year from its own notice, or from the statute when it has none (provisional), then lays over it the
    /// days that neighbouring notices set in this year (the 2023 notice's 元旦 starts on 2022-12-31). Where two
    /// notices set the same day, the later published wins.
    /// </summary>
    public static YearCalendar Build(int year, IReadOnlyDictionary<int, HolidayNotice> notices)
    {
        var isProvisional = !notices.ContainsKey(year);
        var length = DateTime.IsLeapYear(year) ? 366 : 365;
        var kinds = new DayKind[length];
        var names = new string?[length];
        var january1 = new DateOnly(year, 1, 1);
        for (var i = 0; i < length; i++)
        {
            kinds[i] = january1.AddDays(i).IsWeekend() ? DayKind.Weekend : DayKind.Workday;
        }

        if (isProvisional)
        {
            foreach (var day in ProvisionalHolidays.For(year))
            {
                Set(day.Date, DayKind.Holiday, day.Holiday);
            }
        }

        var relevant = new[] { year - 1, year, year + 1 }
            .Select(noticeYear => notices.GetValueOrDefault(noticeYear))
            .OfType<HolidayNotice>()
            .OrderBy(notice => notice.PublishedOn);
        foreach (var notice in relevant)
        {
            foreach (var period in notice.Periods)
            {
                foreach (var day in period.DaysOff().Where(day => day.Year == year))
                {
                    Set(day, DayKind.Holiday, period.Name);
                }

                foreach (var day in period.MakeupWorkdays.Where(day => day.Year == year))
                {
                    Set(day, DayKind.MakeupWorkday, period.Name);
                }
            }
        }

        var days = new DayInfo[length];
        for (var i = 0; i < length; i++)
        {
            days[i] = new DayInfo(january1.AddDays(i), kinds[i], names[i], isProvisional);
        }

        return new YearCalendar(year, isProvisional, days);

        void Set(DateOnly date, DayKind kind, string holiday)
        {
            kinds[date.DayOfYear - 1] = kind;
            names[date.DayOfYear - 1] = holiday;
        }
    }
}
