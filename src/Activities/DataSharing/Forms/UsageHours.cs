using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.DataSharing.Forms;

/// <summary>Which days an interface is used on (表3 服务接口使用时间范围).</summary>
public enum UsageDayKind
{
    /// <summary>每日 (also written 每天).</summary>
    EveryDay,

    /// <summary>工作日: the working days of the platform's calendar.</summary>
    WorkingDays,
}

/// <summary>
/// The usage hours of an interface, e.g. 工作日 08:00-20:00: the day kind, then a time range within one day with
/// start &lt; end (24:00 may end a range). Written forms accepted: "工作日 08:00-20:00", "工作日，每天 8:00 到 20:00",
/// "每天8:00~20:00", with -, －, —, ~, ～, 至 or 到 between the times and : or ： inside them.
/// </summary>
public readonly partial record struct UsageHours(UsageDayKind Days, TimeSpan Start, TimeSpan End)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out UsageHours? hours) =>
        (hours = Parse(text, out _)) is not null;

    /// <summary>The usage hours, or null with the code of the problem: usageHours.format, .time or .order.</summary>
    public static UsageHours? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        if (Pattern().Match(text.Trim()) is not { Success: true } match)
        {
            problem = "usageHours.format";
            return null;
        }

        var start = Time(match.Groups["start"].Value, allowEndOfDay: false);
        var end = Time(match.Groups["end"].Value, allowEndOfDay: true);
        if (start is null || end is null)
        {
            problem = "usageHours.time";
            return null;
        }

        if (start >= end)
        {
            problem = "usageHours.order";
            return null;
        }

        var days = match.Groups["days"].Value == "工作日" ? UsageDayKind.WorkingDays : UsageDayKind.EveryDay;
        return new UsageHours(days, start.Value, end.Value);
    }

    /// <summary>The canonical text, e.g. 工作日 08:00-20:00.</summary>
    public override string ToString() =>
        $"{(Days == UsageDayKind.WorkingDays ? "工作日" : "每日")} {Format(Start)}-{Format(End)}";

    private static string Format(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");

    private static TimeSpan? Time(string text, bool allowEndOfDay)
    {
        var parts = text.Split(':', '：');
        var hour = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var minute = int.Parse(parts[1], CultureInfo.InvariantCulture);
        if (minute > 59 || hour > 24 || (hour == 24 && (minute != 0 || !allowEndOfDay)))
        {
            return null;
        }

        return new TimeSpan(hour, minute, 0);
    }

    [GeneratedRegex(@"^(?<days>每日|每天|工作日)[\s,，、;；]*(?:每天|每日)?\s*(?<start>[0-9]{1,2}[:：][0-9]{2})\s*(?:-|－|—|–|~|～|至|到)\s*(?<end>[0-9]{1,2}[:：][0-9]{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Format "usageHours": <see cref="UsageHours"/>, normalised to its canonical text.</summary>
public sealed class UsageHoursValidator : IFormatValidator
{
    public string Name => "usageHours";

    public FormatResult Validate(string value, string label)
    {
        if (UsageHours.Parse(value, out var problem) is { } hours)
        {
            return FormatResult.Valid(hours.ToString());
        }

        return FormatResult.Invalid(problem!, problem switch
        {
            "usageHours.time" => $"{label}中的时间无效，小时应为 0–24、分钟应为 00–59",
            "usageHours.order" => $"{label}的开始时间应早于结束时间",
            _ => $"{label}应写作“工作日 08:00-20:00”或“每日 00:00-24:00”",
        });
    }
}
