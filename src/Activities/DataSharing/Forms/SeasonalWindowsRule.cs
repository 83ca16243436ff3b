using System.Globalization;
using System.Text.Json.Nodes;

using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.DataSharing.Forms;

/// <summary>
/// Custom rule "seasonalWindows" (表3 接口使用期限: seasonal use lists its windows, e.g. 1月1日-5月1日、7月1日-9月1日).
/// Roles: windows (a table with date columns start and end), and optionally periodStart (date) and periodDays
/// (integer). Each window must lie within the period [periodStart, periodStart + periodDays − 1] when both are filled,
/// and no two windows may overlap. A window's own start ≤ end is a dateRange row rule of the table.
/// Codes: seasonalWindows.outsidePeriod, seasonalWindows.overlap.
/// </summary>
public sealed class SeasonalWindowsRule : ICustomRule
{
    public string Name => "seasonalWindows";

    public IReadOnlyCollection<string> RequiredRoles { get; } = ["windows"];

    public IReadOnlyCollection<string> OptionalRoles { get; } = ["periodStart", "periodDays"];

    public IEnumerable<string> CheckBinding(IReadOnlyDictionary<string, FormField> fields, JsonObject? args)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.TryGetValue("windows", out var windows) &&
            (windows.Type != FormFieldType.Table ||
             !new[] { "start", "end" }.All(key => windows.Columns?.Any(column => column.Key == key && column.Type == FormFieldType.Date) == true)))
        {
            yield return "seasonalWindows 的 windows 须是含日期列 start 与 end 的表格";
        }

        if (fields.TryGetValue("periodStart", out var start) && start.Type != FormFieldType.Date)
        {
            yield return "seasonalWindows 的 periodStart 须是日期字段";
        }

        if (fields.TryGetValue("periodDays", out var days) && days.Type != FormFieldType.Integer)
        {
            yield return "seasonalWindows 的 periodDays 须是整数字段";
        }
    }

    public void Evaluate(CustomRuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Value("windows") is not JsonArray rows)
        {
            return;
        }

        var windows = new List<(int Row, DateOnly Start, DateOnly End)>();
        for (var row = 0; row < rows.Count; row++)
        {
            if (rows[row] is JsonObject window && Date(window["start"]) is { } start && Date(window["end"]) is { } end && start <= end)
            {
                windows.Add((row, start, end));
            }
        }

        if (Date(context.Value("periodStart")) is { } periodStart &&
            JsonValues.TryGetNumber(context.Value("periodDays"), out var days) && days >= 1)
        {
            var periodEnd = periodStart.AddDays((int)days - 1);
            var period = $"{Text(periodStart)} 至 {Text(periodEnd)}";
            foreach (var (row, start, end) in windows)
            {
                var column = start < periodStart ? "start" : end > periodEnd ? "end" : null;
                if (column is not null)
                {
                    var label = context.CellLabel("windows", row, column);
                    context.AddError(context.CellPath("windows", row, column), label, "seasonalWindows.outsidePeriod",
                        $"{label}超出接口使用期限（{period}）");
                }
            }
        }

        var ordered = windows.OrderBy(window => window.Start).ThenBy(window => window.Row).ToList();
        for (var index = 1; index < ordered.Count; index++)
        {
            var earlier = ordered.Take(index).MaxBy(window => window.End);
            var current = ordered[index];
            if (current.Start <= earlier.End)
            {
                var (first, second) = earlier.Row < current.Row ? (earlier, current) : (current, earlier);
                var label = context.CellLabel("windows", second.Row, "start");
                context.AddError(context.CellPath("windows", second.Row, "start"), label, "seasonalWindows.overlap",
                    string.Create(CultureInfo.InvariantCulture,
                        $"{context.Label("windows")}第{second.Row + 1}行与第{first.Row + 1}行的时段重叠"));
            }
        }
    }

    private static DateOnly? Date(JsonNode? value) =>
        JsonValues.TryGetString(value, out var text) &&
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
