using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>The structural checks of <see cref="FormValidator.CheckSchema"/>; every problem is collected.</summary>
internal sealed partial class FormSchemaChecker(
    IReadOnlyDictionary<string, IFormatValidator> formats,
    IReadOnlyDictionary<string, ICustomRule> customRules,
    FieldChecker fieldChecker,
    string? source)
{
    private readonly List<FormSchemaError> _errors = [];

    public IReadOnlyList<FormSchemaError> Check(FormSchema schema)
    {
        if (!IdPattern().IsMatch(schema.Id))
        {
            Add("id", $"表单标识{FormText.Quoted(schema.Id)}应由小写字母、数字、'-' 或 '.' 组成，以字母开头");
        }

        if (schema.Version < 1)
        {
            Add("version", "版本号应为正整数");
        }

        if (string.IsNullOrWhiteSpace(schema.Title))
        {
            Add("title", "表单标题不能为空");
        }

        if (schema.Sections.Count == 0)
        {
            Add("sections", "表单至少要有一个分组");
        }

        var sectionKeys = new HashSet<string>(StringComparer.Ordinal);
        var fields = new Dictionary<string, FormField>(StringComparer.Ordinal);
        for (var index = 0; index < schema.Sections.Count; index++)
        {
            var section = schema.Sections[index];
            var path = $"sections[{index}]";
            if (!KeyPattern().IsMatch(section.Key) || !sectionKeys.Add(section.Key))
            {
                Add(path, $"分组键{FormText.Quoted(section.Key)}无效或重复");
            }

            if (string.IsNullOrWhiteSpace(section.Title))
            {
                Add(path, "分组标题不能为空");
            }

            if (section.Fields.Count == 0)
            {
                Add(path, "分组中没有字段");
            }

            foreach (var field in section.Fields)
            {
                if (!fields.TryAdd(field.Key, field))
                {
                    Add(field.Key, $"字段键{FormText.Quoted(field.Key)}重复（各分组的字段共用一个数据对象）");
                }

                CheckField(field, field.Key, isColumn: false);
            }
        }

        CheckRules(schema.Rules, fields, "rules", topLevel: true);
        return _errors;
    }

    private void CheckField(FormField field, string path, bool isColumn)
    {
        if (!KeyPattern().IsMatch(field.Key))
        {
            Add(path, $"字段键{FormText.Quoted(field.Key)}应以字母开头，只含字母、数字和下划线");
        }

        if (string.IsNullOrWhiteSpace(field.Label))
        {
            Add(path, "字段名称（label）不能为空");
        }

        var type = field.Type;
        var isChoice = type is FormFieldType.Select or FormFieldType.Multiselect;
        Only(field.MinLength is not null || field.MaxLength is not null, field.IsText, path, "minLength/maxLength 只适用于文本字段");
        Only(field.Pattern is not null, field.IsText, path, "pattern 只适用于文本字段");
        Only(field.Format is not null, field.IsText, path, "format 只适用于文本字段");
        Only(field.Min is not null || field.Max is not null, type is FormFieldType.Number or FormFieldType.Integer, path,
            "min/max 只适用于数字字段");
        Only(field.Options is not null, isChoice, path, "options 只适用于 select 与 multiselect");
        Only(field.MinItems is not null || field.MaxItems is not null, type is FormFieldType.Multiselect or FormFieldType.Table,
            path, "minItems/maxItems 只适用于 multiselect 与 table");
        Only(field.Accept is not null, type == FormFieldType.File, path, "accept 只适用于文件字段");
        Only(field.Columns is not null || field.Rules is not null, type == FormFieldType.Table, path, "columns/rules 只适用于表格字段");
        if (field.Source is { } source && source != FormField.PlatformSource)
        {
            Add(path, $"source 只能是 {FormField.PlatformSource}（由平台根据记录填写）");
        }

        if (field.MinLength < 0 || field.MaxLength < 1 || field.MinLength > field.MaxLength)
        {
            Add(path, "minLength/maxLength 取值无效");
        }

        if (field.Min > field.Max)
        {
            Add(path, "min 大于 max");
        }

        if (field.MinItems < 0 || field.MaxItems < 1 || field.MinItems > field.MaxItems)
        {
            Add(path, "minItems/maxItems 取值无效");
        }

        if (field.Pattern is { } pattern)
        {
            CheckPattern(field, pattern, path);
        }

        if (field.EffectiveFormat is { } format && !formats.ContainsKey(format))
        {
            Add(path, $"未知的格式校验器{FormText.Quoted(format)}；可用：{string.Join("、", formats.Keys.Order(StringComparer.Ordinal))}");
        }

        if (isChoice)
        {
            CheckOptions(field, path);
        }

        if (field.Accept is { } accept && (accept.Count == 0 || accept.Any(extension => !ExtensionPattern().IsMatch(extension))))
        {
            Add(path, "accept 应为不带点的小写扩展名列表，如 [\"pdf\", \"jpg\"]");
        }

        if (type == FormFieldType.Table)
        {
            CheckTable(field, path, isColumn);
        }

        if (field.Default is { } defaultValue)
        {
            var problems = new List<FormError>();
            fieldChecker.Check(field with { Required = false }, defaultValue, path, field.Label, problems);
            foreach (var problem in problems)
            {
                Add(path, $"默认值无效：{problem.Message}");
            }
        }
    }

    private void CheckPattern(FormField field, string pattern, string path)
    {
        try
        {
            fieldChecker.Pattern(pattern);
        }
        catch (ArgumentException exception)
        {
            Add(path, $"pattern 不是有效的 ECMAScript 正则表达式：{exception.Message}");
        }

        if (NotInJavaScript().Match(pattern) is { Success: true } construct)
        {
            Add(path, $"pattern 中的{FormText.Quoted(construct.Value)}是 .NET 特有写法，浏览器中的 JavaScript 不支持");
        }

        if (string.IsNullOrWhiteSpace(field.PatternMessage))
        {
            Add(path, "有 pattern 时须给出中文提示 patternMessage");
        }
    }

    private void CheckOptions(FormField field, string path)
    {
        var options = field.Options ?? [];
        if (options.Count == 0)
        {
            Add(path, "select/multiselect 须有选项 options");
        }

        for (var index = 0; index < options.Count; index++)
        {
            var option = options[index];
            if (!JsonValues.IsScalar(option.Value) || JsonValues.IsEmpty(option.Value))
            {
                Add($"{path}.options[{index}]", "选项值应为非空的字符串、数字或布尔值");
            }

            if (string.IsNullOrWhiteSpace(option.Label))
            {
                Add($"{path}.options[{index}]", "选项名称不能为空");
            }

            if (options.Take(index).Any(earlier => JsonValues.Same(earlier.Value, option.Value) ||
                                                   JsonValues.Display(earlier.Value) == JsonValues.Display(option.Value)))
            {
                Add($"{path}.options[{index}]", $"选项值{FormText.Quoted(JsonValues.Display(option.Value))}重复");
            }
        }
    }

    private void CheckTable(FormField table, string path, bool isColumn)
    {
        if (isColumn)
        {
            Add(path, "表格的列不能是表格");
            return;
        }

        var columns = new Dictionary<string, FormField>(StringComparer.Ordinal);
        if (table.Columns is not { Count: > 0 })
        {
            Add(path, "表格须有列 columns");
        }

        foreach (var column in table.Columns ?? [])
        {
            if (!columns.TryAdd(column.Key, column))
            {
                Add($"{path}.{column.Key}", $"列键{FormText.Quoted(column.Key)}重复");
            }

            CheckField(column, $"{path}.{column.Key}", isColumn: true);
        }

        CheckRules(table.Rules ?? [], columns, $"{path}.rules", topLevel: false);
    }

    private void CheckRules(IReadOnlyList<FormRule> rules, IReadOnlyDictionary<string, FormField> scope, string path, bool topLevel)
    {
        for (var index = 0; index < rules.Count; index++)
        {
            var rulePath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");
            var before = _errors.Count;
            foreach (var key in RuleEvaluator.Fields(rules[index]).Involved.Distinct())
            {
                if (!scope.ContainsKey(key))
                {
                    Add(rulePath, $"规则引用了{(topLevel ? "表单" : "本表格")}中不存在的字段{FormText.Quoted(key)}");
                }
            }

            if (_errors.Count == before)
            {
                CheckRule(rules[index], scope, rulePath, topLevel);
            }
        }
    }

    private void CheckRule(FormRule rule, IReadOnlyDictionary<string, FormField> scope, string path, bool topLevel)
    {
        switch (rule)
        {
            case RequiredWhenRule requiredWhen:
                CheckCondition(requiredWhen.When, scope, path);
                break;
            case EmptyWhenRule emptyWhen:
                CheckCondition(emptyWhen.When, scope, path);
                break;
            case AllowedWhenRule allowedWhen:
                CheckCondition(allowedWhen.When, scope, path);
                if (allowedWhen.Values.Count == 0)
                {
                    Add(path, "allowedWhen 须列出允许的值 values");
                }

                CheckValues(scope[allowedWhen.Field], allowedWhen.Values, path);
                break;
            case CompareRule compare:
                CheckCompare(compare, scope, path);
                break;
            case DateRangeRule dateRange:
                var startType = scope[dateRange.Start].Type;
                if (startType is not (FormFieldType.Date or FormFieldType.Datetime) || scope[dateRange.End].Type != startType)
                {
                    Add(path, "dateRange 的起止字段须同为 date 或同为 datetime");
                }

                if (dateRange.MaxDays < 1)
                {
                    Add(path, "maxDays 应为正整数");
                }

                break;
            case UniqueRule unique:
                var table = scope[unique.Table];
                if (!topLevel || table.Type != FormFieldType.Table)
                {
                    Add(path, "unique 须在表单级规则中引用一个表格字段");
                }
                else if (unique.Columns.Count == 0 || unique.Columns.Any(key => table.Columns?.Any(column => column.Key == key) != true))
                {
                    Add(path, $"unique 的列须是表格{FormText.Quoted(table.Label)}的列");
                }

                break;
            case CustomRule custom:
                CheckCustom(custom, scope, path);
                break;
        }
    }

    private void CheckCompare(CompareRule compare, IReadOnlyDictionary<string, FormField> scope, string path)
    {
        var left = scope[compare.Left].Type;
        var right = scope[compare.Right].Type;
        var numeric = left is FormFieldType.Number or FormFieldType.Integer && right is FormFieldType.Number or FormFieldType.Integer;
        var dates = left == right && left is FormFieldType.Date or FormFieldType.Datetime;
        if (!numeric && !dates && compare.Operator is not (CompareOperator.Eq or CompareOperator.Ne))
        {
            Add(path, "大小比较只适用于两个数字字段或两个同类日期字段");
        }
    }

    private void CheckCustom(CustomRule custom, IReadOnlyDictionary<string, FormField> scope, string path)
    {
        if (!customRules.TryGetValue(custom.Name, out var implementation))
        {
            Add(path, $"未知的自定义规则{FormText.Quoted(custom.Name)}；可用：{string.Join("、", customRules.Keys.Order(StringComparer.Ordinal))}");
            return;
        }

        foreach (var role in implementation.RequiredRoles.Where(role => !custom.Fields.ContainsKey(role)))
        {
            Add(path, $"自定义规则{FormText.Quoted(custom.Name)}须绑定角色{FormText.Quoted(role)}");
        }

        foreach (var role in custom.Fields.Keys.Where(role =>
                     !implementation.RequiredRoles.Contains(role) && !implementation.OptionalRoles.Contains(role)))
        {
            Add(path, $"自定义规则{FormText.Quoted(custom.Name)}没有角色{FormText.Quoted(role)}");
        }

        var bound = custom.Fields.ToDictionary(binding => binding.Key, binding => scope[binding.Value], StringComparer.Ordinal);
        foreach (var problem in implementation.CheckBinding(bound, custom.Args))
        {
            Add(path, problem);
        }
    }

    private void CheckCondition(FormCondition condition, IReadOnlyDictionary<string, FormField> scope, string path)
    {
        var given = new object?[] { condition.EqualTo, condition.NotEqualTo, condition.In, condition.NotIn, condition.Filled }
            .Count(part => part is not null);
        if (given != 1)
        {
            Add(path, "条件 when 须恰好给出 equals、notEquals、in、notIn、filled 之一");
            return;
        }

        var field = scope[condition.Field];
        var values = condition.EqualTo is not null ? [condition.EqualTo]
            : condition.NotEqualTo is not null ? [condition.NotEqualTo]
            : condition.In ?? condition.NotIn ?? [];
        if (condition.Filled is null && values.Count == 0)
        {
            Add(path, "条件 when 的值列表不能为空");
        }

        CheckValues(field, values, path);
    }

    /// <summary>Values a rule compares a field with must be values the field can hold, or the rule could never fire.</summary>
    private void CheckValues(FormField field, IEnumerable<JsonNode> values, string path)
    {
        foreach (var value in values)
        {
            if (field.Type is FormFieldType.Select or FormFieldType.Multiselect)
            {
                if (field.Options?.Any(option => JsonValues.Same(option.Value, value)) != true)
                {
                    Add(path, $"值{FormText.Quoted(JsonValues.Display(value))}不是字段{FormText.Quoted(field.Label)}的选项（注意数字与字符串的区别）");
                }
            }
            else if (field.Type == FormFieldType.Checkbox && !JsonValues.TryGetBoolean(value, out _))
            {
                Add(path, $"字段{FormText.Quoted(field.Label)}是勾选框，条件值应为 true 或 false");
            }
        }
    }

    private void Only(bool present, bool allowed, string path, string message)
    {
        if (present && !allowed)
        {
            Add(path, message);
        }
    }

    private void Add(string path, string message) => _errors.Add(new FormSchemaError(source, path, message));

    /// <summary>.NET constructs that RegexOptions.ECMAScript still accepts but a browser does not (without the u flag).</summary>
    [GeneratedRegex(@"\(\?[>#(imnsx-]|\\[AZzGpP]", RegexOptions.CultureInvariant)]
    private static partial Regex NotInJavaScript();

    [GeneratedRegex("^[a-z][a-z0-9]*(?:[-.][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionPattern();
}
