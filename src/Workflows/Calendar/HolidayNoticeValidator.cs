namespace PdsWorkflow.Workflows.Calendar;

/// <summary>Checks a notice's content; every rule reports in zh-CN for the admin who uploads it.</summary>
public static class HolidayNoticeValidator
{
    public static IReadOnlyList<NoticeValidationError> Validate(HolidayNotice notice, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var errors = new List<NoticeValidationError>();
        void Fail(string field, string message) => errors.Add(new NoticeValidationError(source, field, message));

        if (!SupportedYears.Contains(notice.Year))
        {
            Fail("year", $"年份 {notice.Year} 超出支持范围（{SupportedYears.First}–{SupportedYears.Last}）。");
        }

        if (string.IsNullOrWhiteSpace(notice.NoticeNumber))
        {
            Fail("noticeNumber", "缺少通知文号（如 国办发明电〔2025〕7号）。");
        }

        if (string.IsNullOrWhiteSpace(notice.Source))
        {
            Fail("source", "缺少通知标题。");
        }

        if (notice.Periods.Count == 0)
        {
            Fail("periods", "通知中没有任何假期安排。");
        }

        var daysOff = new Dictionary<DateOnly, string>();
        var makeupDays = new HashSet<DateOnly>();
        for (var i = 0; i < notice.Periods.Count; i++)
        {
            var period = notice.Periods[i];
            var field = $"periods[{i}]";
            var label = string.IsNullOrWhiteSpace(period.Name) ? $"第{i + 1}个假期" : period.Name;

            if (string.IsNullOrWhiteSpace(period.Name))
            {
                Fail($"{field}.name", $"{label}缺少名称（如 春节）。");
            }

            CheckWithinNoticeYears(notice.Year, period.FirstDayOff, $"{field}.firstDayOff", label, "放假首日", Fail);
            CheckWithinNoticeYears(notice.Year, period.LastDayOff, $"{field}.lastDayOff", label, "放假末日", Fail);
            if (period.LastDayOff < period.FirstDayOff)
            {
                Fail($"{field}.lastDayOff",
                    $"{label}：放假末日 {ZhText.Date(period.LastDayOff)} 早于首日 {ZhText.Date(period.FirstDayOff)}。");
            }
            else
            {
                foreach (var day in period.DaysOff())
                {
                    if (!daysOff.TryAdd(day, label))
                    {
                        Fail(field, $"{label}与{daysOff[day]}的放假日期重叠（{ZhText.Date(day)}）。");
                        break;
                    }
                }
            }

            for (var j = 0; j < period.MakeupWorkdays.Count; j++)
            {
                var makeup = period.MakeupWorkdays[j];
                var makeupField = $"{field}.makeupWorkdays[{j}]";
                CheckWithinNoticeYears(notice.Year, makeup, makeupField, label, "调休上班日", Fail);
                if (!makeup.IsWeekend())
                {
                    Fail(makeupField,
                        $"{label}：调休上班日 {ZhText.Date(makeup)}（{ZhText.Weekday(makeup)}）不是周六或周日。");
                }

                if (!makeupDays.Add(makeup))
                {
                    Fail(makeupField, $"{label}：调休上班日 {ZhText.Date(makeup)} 重复出现。");
                }
            }
        }

        for (var i = 0; i < notice.Periods.Count; i++)
        {
            var period = notice.Periods[i];
            for (var j = 0; j < period.MakeupWorkdays.Count; j++)
            {
                if (daysOff.TryGetValue(period.MakeupWorkdays[j], out var holiday))
                {
                    Fail($"periods[{i}].makeupWorkdays[{j}]",
                        $"调休上班日 {ZhText.Date(period.MakeupWorkdays[j])} 同时是{holiday}的放假日。");
                }
            }
        }

        return errors;
    }

    // A notice may reach into the neighbouring years: the 2023 notice's 元旦 starts on 2022-12-31.
    private static void CheckWithinNoticeYears(
        int year, DateOnly day, string field, string label, string what, Action<string, string> fail)
    {
        if (Math.Abs(day.Year - year) > 1)
        {
            fail(field, $"{label}：{what} {ZhText.Date(day)} 不在通知年份 {year} 及其前后一年内。");
        }
    }
}
