using System.Globalization;
using System.Text.Json;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>
/// Reads a notice from its JSON file (camelCase, dates as yyyy-MM-dd). Malformed input comes back as zh-CN errors,
/// never as an exception, because admins upload these files.
/// </summary>
public static class HolidayNoticeReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly string[] NoticeFields = ["year", "noticeNumber", "publishedOn", "source", "periods"];
    private static readonly string[] PeriodFields = ["name", "firstDayOff", "lastDayOff", "makeupWorkdays"];

    public static NoticeParseResult Parse(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return Read(document.RootElement, source);
        }
        catch (JsonException exception)
        {
            return InvalidJson(exception, source);
        }
    }

    public static async Task<NoticeParseResult> ParseAsync(
        Stream json, string? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = await JsonDocument.ParseAsync(json, DocumentOptions, cancellationToken);
            return Read(document.RootElement, source);
        }
        catch (JsonException exception)
        {
            return InvalidJson(exception, source);
        }
    }

    private static NoticeParseResult InvalidJson(JsonException exception, string? source) =>
        NoticeParseResult.Failed(
        [
            new NoticeValidationError(source, "",
                $"不是有效的 JSON（第 {exception.LineNumber + 1} 行第 {exception.BytePositionInLine + 1} 个字节附近）。"),
        ]);

    private static NoticeParseResult Read(JsonElement root, string? source)
    {
        var fields = new FieldReader(source);
        if (root.ValueKind != JsonValueKind.Object)
        {
            fields.Fail("", "通知应为一个 JSON 对象。");
            return NoticeParseResult.Failed(fields.Errors);
        }

        fields.RejectUnknown(root, "", NoticeFields);
        var year = fields.Integer(root, "", "year", "年份");
        var noticeNumber = fields.Text(root, "", "noticeNumber", "通知文号");
        var publishedOn = fields.Date(root, "", "publishedOn", "发布日期");
        var title = fields.Text(root, "", "source", "通知标题");
        var periods = new List<HolidayPeriod>();
        var periodElements = fields.Array(root, "", "periods", "假期安排", required: true);
        for (var i = 0; i < periodElements.Count; i++)
        {
            var period = ReadPeriod(periodElements[i], $"periods[{i}]", fields);
            if (period is not null)
            {
                periods.Add(period);
            }
        }

        if (fields.Errors.Count > 0)
        {
            return NoticeParseResult.Failed(fields.Errors);
        }

        var notice = new HolidayNotice(year!.Value, noticeNumber!, publishedOn!.Value, title!, periods);
        var errors = HolidayNoticeValidator.Validate(notice, source);
        return errors.Count == 0 ? new NoticeParseResult(notice, []) : NoticeParseResult.Failed(errors);
    }

    private static HolidayPeriod? ReadPeriod(JsonElement element, string path, FieldReader fields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            fields.Fail(path, "每个假期安排应为一个 JSON 对象。");
            return null;
        }

        fields.RejectUnknown(element, path, PeriodFields);
        var name = fields.Text(element, path, "name", "假期名称");
        var firstDayOff = fields.Date(element, path, "firstDayOff", "放假首日");
        var lastDayOff = fields.Date(element, path, "lastDayOff", "放假末日");
        var makeupWorkdays = new List<DateOnly>();
        var makeupElements = fields.Array(element, path, "makeupWorkdays", "调休上班日", required: false);
        for (var i = 0; i < makeupElements.Count; i++)
        {
            var day = fields.DateValue(makeupElements[i], $"{path}.makeupWorkdays[{i}]", "调休上班日");
            if (day is not null)
            {
                makeupWorkdays.Add(day.Value);
            }
        }

        return name is null || firstDayOff is null || lastDayOff is null
            ? null
            : new HolidayPeriod(name, firstDayOff.Value, lastDayOff.Value, makeupWorkdays);
    }

    private sealed class FieldReader(string? source)
    {
        private readonly List<NoticeValidationError> _errors = [];

        public IReadOnlyList<NoticeValidationError> Errors => _errors;

        public void Fail(string field, string message) => _errors.Add(new NoticeValidationError(source, field, message));

        public void RejectUnknown(JsonElement element, string path, string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Fail(Join(path, property.Name), $"未知字段“{property.Name}”，可用字段：{string.Join("、", known)}。");
                }
            }
        }

        public int? Integer(JsonElement parent, string path, string name, string label)
        {
            if (!TryGet(parent, path, name, label, required: true, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }

            Fail(Join(path, name), $"{label}（{name}）应为整数。");
            return null;
        }

        public string? Text(JsonElement parent, string path, string name, string label)
        {
            if (!TryGet(parent, path, name, label, required: true, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            Fail(Join(path, name), $"{label}（{name}）应为字符串。");
            return null;
        }

        public DateOnly? Date(JsonElement parent, string path, string name, string label) =>
            TryGet(parent, path, name, label, required: true, out var value)
                ? DateValue(value, Join(path, name), $"{label}（{name}）")
                : null;

        public DateOnly? DateValue(JsonElement value, string field, string label)
        {
            if (value.ValueKind == JsonValueKind.String &&
                DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var date))
            {
                return date;
            }

            Fail(field, $"{label}应为 yyyy-MM-dd 格式的日期，实际为 {value.GetRawText()}。");
            return null;
        }

        public IReadOnlyList<JsonElement> Array(JsonElement parent, string path, string name, string label, bool required)
        {
            if (!TryGet(parent, path, name, label, required, out var value))
            {
                return [];
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                return [.. value.EnumerateArray()];
            }

            Fail(Join(path, name), $"{label}（{name}）应为数组。");
            return [];
        }

        private bool TryGet(JsonElement parent, string path, string name, string label, bool required, out JsonElement value)
        {
            if (parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            if (required)
            {
                Fail(Join(path, name), $"缺少{label}（{name}）。");
            }

            return false;
        }

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
