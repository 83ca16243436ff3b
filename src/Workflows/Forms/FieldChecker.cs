using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// Normalises and checks one field's value: type, required-ness, lengths, pattern, range, format, and for tables each
/// row's cells and row rules. A scalar field gets at most one error (the first problem found), a table one per cell.
/// </summary>
internal sealed partial class FieldChecker(IReadOnlyDictionary<string, IFormatValidator> formats, RuleEvaluator rules)
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly string[] FileProperties = ["id", "name", "size", "contentType"];
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <summary>The normalised value, or null when empty.</summary>
    public JsonNode? Check(FormField field, JsonNode? value, string path, string label, List<FormError> errors)
    {
        if (JsonValues.IsEmpty(value))
        {
            if (field.Required)
            {
                errors.Add(new FormError(path, "required", $"{label}为必填项"));
            }

            return null;
        }

        var problems = new Problems(path, label, errors);
        return field.Type switch
        {
            FormFieldType.Text or FormFieldType.Textarea or FormFieldType.Email or FormFieldType.Phone =>
                CheckText(field, value!, problems),
            FormFieldType.Number or FormFieldType.Integer => CheckNumber(field, value!, problems),
            FormFieldType.Date => CheckDate(value!, problems),
            FormFieldType.Datetime => CheckDateTime(value!, problems),
            FormFieldType.Select => CheckSelect(field, value!, problems),
            FormFieldType.Multiselect => CheckMultiselect(field, value!, problems),
            FormFieldType.Checkbox => CheckCheckbox(field, value!, problems),
            FormFieldType.File => CheckFile(field, value!, problems),
            FormFieldType.Table => CheckTable(field, value!, path, label, errors),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Type, "Unknown field type."),
        };
    }

    /// <summary>The pattern anchored and compiled as an ECMAScript expression, so that it means the same in the browser.</summary>
    public Regex Pattern(string pattern) =>
        _patterns.GetOrAdd(pattern, text => new Regex($"^(?:{text})$", RegexOptions.ECMAScript, PatternTimeout));

    public static DateOnly? ParseDate(JsonNode? value) =>
        JsonValues.TryGetString(value, out var text) &&
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    public static DateTimeOffset? ParseDateTime(JsonNode? value)
    {
        if (!JsonValues.TryGetString(value, out var text) || DateTimePattern().Match(text.Trim()) is not { Success: true } match)
        {
            return null;
        }

        var offset = Beijing;
        var zone = match.Groups["zone"].Value;
        if (zone.Length > 0 && zone != "Z")
        {
            var sign = zone[0] == '-' ? -1 : 1;
            offset = sign * new TimeSpan(int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture),
                int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture), 0);
        }
        else if (zone == "Z")
        {
            offset = TimeSpan.Zero;
        }

        var local = $"{match.Groups["date"].Value}T{match.Groups["time"].Value}{(match.Groups["seconds"].Success ? match.Groups["seconds"].Value : ":00")}";
        if (!DateTime.TryParseExact(local, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime) ||
            offset < TimeSpan.FromHours(-14) || offset > TimeSpan.FromHours(14))
        {
            return null;
        }

        return new DateTimeOffset(dateTime, offset);
    }

    public static FormOption? FindOption(FormField field, JsonNode value)
    {
        var options = field.Options ?? [];
        var exact = options.FirstOrDefault(option => JsonValues.Same(option.Value, value));
        if (exact is not null || !JsonValues.TryGetString(value, out var text))
        {
            return exact;
        }

        // A UI may send "1" for the option 1: accept the option whose written form is the text.
        var trimmed = text.Trim();
        return options.FirstOrDefault(option => JsonValues.Display(option.Value) == trimmed);
    }

    private JsonNode? CheckText(FormField field, JsonNode value, Problems problems)
    {
        if (!JsonValues.TryGetString(value, out var raw))
        {
            return problems.Add("type", $"{problems.Label}应为文本");
        }

        if (raw.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL's text and jsonb cannot hold NUL; refused on every provider alike.
            return problems.Add("nul", $"{problems.Label}不能包含空字符（U+0000）");
        }

        var text = field.Type == FormFieldType.Textarea ? raw.ReplaceLineEndings("\n").Trim() : raw.Trim();
        var length = JsonValues.CodePoints(text);
        if (field.MinLength is { } minLength && length < minLength)
        {
            return problems.Add("minLength", $"{problems.Label}至少{minLength}个字符");
        }

        if (field.EffectiveMaxLength is { } maxLength && length > maxLength)
        {
            return problems.Add("maxLength", $"{problems.Label}不能超过{maxLength}个字符（当前{length}个）");
        }

        if (field.Pattern is { } pattern && !Pattern(pattern).IsMatch(text))
        {
            return problems.Add("pattern", FormText.Override(field.PatternMessage, problems.Label, $"{problems.Label}格式不正确"));
        }

        if (field.EffectiveFormat is { } formatName)
        {
            var result = formats[formatName].Validate(text, problems.Label);
            if (!result.IsValid)
            {
                return problems.Add(result.Code!, result.Message!);
            }

            text = result.Normalized!;
        }

        return JsonValue.Create(text);
    }

    private static JsonNode? CheckNumber(FormField field, JsonNode value, Problems problems)
    {
        var isInteger = field.Type == FormFieldType.Integer;
        if (!JsonValues.TryGetNumber(value, out var number) &&
            !(JsonValues.TryGetString(value, out var text) && decimal.TryParse(text.Trim(),
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number)))
        {
            return problems.Add("type", isInteger ? $"{problems.Label}应为整数" : $"{problems.Label}应为数字");
        }

        if (isInteger && (number != decimal.Truncate(number) || number < long.MinValue || number > long.MaxValue))
        {
            return problems.Add("type", $"{problems.Label}应为整数");
        }

        if (field.Min is { } min && number < min)
        {
            return problems.Add("min", $"{problems.Label}不能小于{FormText.Number(min)}");
        }

        if (field.Max is { } max && number > max)
        {
            return problems.Add("max", $"{problems.Label}不能大于{FormText.Number(max)}");
        }

        // Parsed rather than created from a long or decimal, so that readers may take it as any numeric type.
        return JsonNode.Parse(isInteger ? ((long)number).ToString(CultureInfo.InvariantCulture) : number.ToString(CultureInfo.InvariantCulture));
    }

    private static JsonNode? CheckDate(JsonNode value, Problems problems) =>
        ParseDate(value) is { } date
            ? JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : problems.Add("type", $"{problems.Label}应为有效日期，格式为 YYYY-MM-DD");

    private static JsonNode? CheckDateTime(JsonNode value, Problems problems) =>
        ParseDateTime(value) is { } dateTime
            ? JsonValue.Create(dateTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))
            : problems.Add("type", $"{problems.Label}应为有效日期时间，格式为 YYYY-MM-DD HH:mm[:ss]");

    private static JsonNode? CheckSelect(FormField field, JsonNode value, Problems problems)
    {
        if (!JsonValues.IsScalar(value))
        {
            return problems.Add("type", $"{problems.Label}应为单个选项");
        }

        return FindOption(field, value) is { } option
            ? option.Value.DeepClone()
            : problems.Add("option", $"{problems.Label}的值{FormText.Quoted(JsonValues.Display(value))}不是可选项");
    }

    private static JsonNode? CheckMultiselect(FormField field, JsonNode value, Problems problems)
    {
        if (value is not JsonArray items || items.Any(item => !JsonValues.IsScalar(item)))
        {
            return problems.Add("type", $"{problems.Label}应为选项列表");
        }

        var selected = new List<FormOption>();
        foreach (var item in items)
        {
            var option = FindOption(field, item!);
            if (option is null)
            {
                return problems.Add("option", $"{problems.Label}的值{FormText.Quoted(JsonValues.Display(item!))}不是可选项");
            }

            if (selected.Contains(option))
            {
                return problems.Add("duplicate", $"{problems.Label}中{FormText.Quoted(option.Label)}重复");
            }

            selected.Add(option);
        }

        ReportCount(field, selected.Count, "项", problems);
        return new JsonArray(selected.Select(option => option.Value.DeepClone()).ToArray());
    }

    private static JsonNode? CheckCheckbox(FormField field, JsonNode value, Problems problems)
    {
        if (!JsonValues.TryGetBoolean(value, out var flag))
        {
            return problems.Add("type", $"{problems.Label}应为是或否");
        }

        if (field.Required && !flag)
        {
            return problems.Add("required", $"{problems.Label}须勾选");
        }

        return JsonValue.Create(flag);
    }

    private static JsonNode? CheckFile(FormField field, JsonNode value, Problems problems)
    {
        if (value is not JsonObject file ||
            file.Any(property => !FileProperties.Contains(property.Key)) ||
            !JsonValues.TryGetString(file["id"], out var id) || string.IsNullOrWhiteSpace(id) ||
            !JsonValues.TryGetString(file["name"], out var name) || string.IsNullOrWhiteSpace(name) ||
            (file["size"] is { } size && !(JsonValues.TryGetNumber(size, out var bytes) && bytes >= 0 && bytes == decimal.Truncate(bytes))) ||
            (file["contentType"] is { } contentType && !JsonValues.TryGetString(contentType, out _)))
        {
            return problems.Add("type", $"{problems.Label}应为已上传的文件（含 id 与 name）");
        }

        name = name.Trim();
        var extension = Path.GetExtension(name).TrimStart('.').ToLowerInvariant();
        if (field.Accept is { Count: > 0 } accept && !accept.Contains(extension))
        {
            return problems.Add("fileType", $"{problems.Label}的文件类型应为 {string.Join("、", accept)} 之一");
        }

        var normalized = new JsonObject { ["id"] = id.Trim(), ["name"] = name };
        if (file["size"] is { } fileSize)
        {
            normalized["size"] = fileSize.DeepClone();
        }

        if (JsonValues.TryGetString(file["contentType"], out var type) && type.Trim().Length > 0)
        {
            normalized["contentType"] = type.Trim();
        }

        return normalized;
    }

    private JsonNode? CheckTable(FormField table, JsonNode value, string path, string label, List<FormError> errors)
    {
        if (value is not JsonArray rows)
        {
            errors.Add(new FormError(path, "type", $"{label}应为表格（行的列表）"));
            return null;
        }

        // Too few or too many rows is reported, and the rows are still checked: every problem shows at once.
        ReportCount(table, rows.Count, "行", new Problems(path, label, errors));
        var columns = (table.Columns ?? []).ToDictionary(column => column.Key, StringComparer.Ordinal);
        var normalizedRows = new JsonArray();
        for (var index = 0; index < rows.Count; index++)
        {
            var rowPath = $"{path}[{index}]";
            var rowLabel = FormText.RowLabel(label, index);
            if (rows[index] is not JsonObject row)
            {
                errors.Add(new FormError(rowPath, "type", $"{rowLabel}应为一行数据"));
                normalizedRows.Add(new JsonObject());
                continue;
            }

            foreach (var (key, _) in row.Where(cell => !columns.ContainsKey(cell.Key)))
            {
                errors.Add(new FormError($"{rowPath}.{key}", "unknownField", $"{rowLabel}中没有{FormText.Quoted(key)}这一列"));
            }

            var normalizedRow = new JsonObject();
            var failed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var column in columns.Values)
            {
                var before = errors.Count;
                var cell = Check(column, row[column.Key], $"{rowPath}.{column.Key}",
                    FormText.CellLabel(label, index, column.Label), errors);
                if (errors.Count > before)
                {
                    failed.Add(column.Key);
                }

                if (cell is not null)
                {
                    normalizedRow[column.Key] = cell;
                }
            }

            if (table.Rules is { Count: > 0 } rowRules)
            {
                rules.Evaluate(rowRules, new RuleScope(columns, normalizedRow, rowPath + ".", rowLabel + "的", _ => true, failed), errors);
            }

            normalizedRows.Add(normalizedRow);
        }

        return normalizedRows;
    }

    private static void ReportCount(FormField field, int count, string unit, Problems problems)
    {
        if (field.MinItems is { } minItems && count < minItems)
        {
            problems.Add("minItems", $"{problems.Label}至少{minItems}{unit}");
        }
        else if (field.MaxItems is { } maxItems && count > maxItems)
        {
            problems.Add("maxItems", $"{problems.Label}最多{maxItems}{unit}（当前{count}{unit}）");
        }
    }

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?<time>[0-9]{2}:[0-9]{2})(?<seconds>:[0-9]{2})?(?<zone>Z|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    /// <summary>Where a field's problem goes; <see cref="Add"/> returns null so that a check can return it.</summary>
    private readonly record struct Problems(string Path, string Label, List<FormError> Errors)
    {
        public JsonNode? Add(string code, string message)
        {
            Errors.Add(new FormError(Path, code, message));
            return null;
        }
    }
}
