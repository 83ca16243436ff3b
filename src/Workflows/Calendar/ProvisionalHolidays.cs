namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// The days off of a year that has no State Council notice: the statutory days, and the days Article 6 gives back.
/// No makeup workdays are invented: only a notice moves weekend days.
/// </summary>
internal static class ProvisionalHolidays
{
    public static IReadOnlyList<StatutoryDay> For(int year)
    {
        var daysOff = new Dictionary<DateOnly, string>();
        var owed = new List<StatutoryDay>();
        foreach (var day in StatutoryHolidays.For(year))
        {
            // A day already taken by another holiday is owed as well, as when 中秋 fell on 国庆 in 2020.
            if (!daysOff.TryAdd(day.Date, day.Holiday) || day.Date.IsWeekend())
            {
                owed.Add(day);
            }
        }

        // 第六条: a holiday falling on a Saturday or Sunday is given back on a working day; we take the next one
        // that is not already a day off.
        foreach (var day in owed.OrderBy(day => day.Date))
        {
            var substitute = day.Date.AddDays(1);
            while (substitute.IsWeekend() || daysOff.ContainsKey(substitute))
            {
                substitute = substitute.AddDays(1);
            }

            daysOff.Add(substitute, day.Holiday);
        }

        return [.. daysOff.Select(entry => new StatutoryDay(entry.Key, entry.Value)).OrderBy(day => day.Date)];
    }
}
