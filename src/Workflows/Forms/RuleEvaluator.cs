using System.Globalization;
using System.Text.Json.Nodes;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>Applies the declarative rule kinds, and the named custom rules, over one scope's normalised values.</summary>
internal sealed class RuleEvaluator(IReadOnlyDictionary<string, ICustomRule> customRules)
{
    public void Evaluate(IEnumerable<FormRule> rules, RuleScope scope, List<FormError> errors)
    {
        foreach (var rule in rules)
        {
            var (involved, reported) = Fields(rule);
            if (!reported.Any(scope.IsEditable))
            {
                continue;
            }

            // A rule waits until its fields are valid, except that a table with bad cells still shows its valid cells
            // (the bad ones are left out of its rows), so that unique and custom rules over tables report at once.
            if (involved.Any(key => scope.HasError(key) && scope.Field(key).Type != FormFieldType.Table))
            {
                continue;
            }

            switch (rule)
            {
                case RequiredWhenRule requiredWhen:
                    RequiredWhen(requiredWhen, scope, errors);
                    break;
                case EmptyWhenRule emptyWhen:
                    EmptyWhen(emptyWhen, scope, errors);
                    break;
                case AllowedWhenRule allowedWhen:
                    AllowedWhen(allowedWhen, scope, errors);
                    break;
                case CompareRule compare:
                    Compare(compare, scope, errors);
                    break;
                case DateRangeRule dateRange:
                    DateRange(dateRange, scope, errors);
                    break;
                case UniqueRule unique:
                    Unique(unique, scope, errors);
                    break;
                case CustomRule custom:
                    customRules[custom.Name].Evaluate(new CustomRuleContext(scope, custom, errors));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(rules), rule.GetType().Name, "Unknown rule kind.");
            }
        }
    }

    /// <summary>The fields a rule reads, and those it reports on (one of which must be editable for it to run).</summary>
    public static (IReadOnlyList<string> Involved, IReadOnlyList<string> Reported) Fields(FormRule rule) => rule switch
    {
        RequiredWhenRule r => ([r.Field, r.When.Field], [r.Field]),
        EmptyWhenRule r => ([r.Field, r.When.Field], [r.Field]),
        AllowedWhenRule r => ([r.Field, r.When.Field], [r.Field]),
        CompareRule r => ([r.Left, r.Right], [r.Left, r.Right]),
        DateRangeRule r => ([r.Start, r.End], [r.Start, r.End]),
        UniqueRule r => ([r.Table], [r.Table]),
        CustomRule r => (r.Fields.Values.ToList(), r.Fields.Values.ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.GetType().Name, "Unknown rule kind."),
    };

    public static bool Holds(FormCondition condition, RuleScope scope)
    {
        var field = scope.Field(condition.Field);
        var value = scope.Value(condition.Field);
        var empty = JsonValues.IsEmpty(value);
        if (condition.Filled is { } filled)
        {
            return filled != empty;
        }

        if (condition.EqualTo is { } equalTo)
        {
            return !empty && Matches(field, value!, [equalTo]);
        }

        if (condition.NotEqualTo is { } notEqualTo)
        {
            return empty || !Matches(field, value!, [notEqualTo]);
        }

        if (condition.In is { } inList)
        {
            return !empty && Matches(field, value!, inList);
        }

        return condition.NotIn is not { } notIn || empty || !Matches(field, value!, notIn);
    }

    /// <summary>A multiselect matches when it contains one of the values; anything else when it is one of them.</summary>
    private static bool Matches(FormField field, JsonNode value, IEnumerable<JsonNode> candidates) =>
        field.Type == FormFieldType.Multiselect && value is JsonArray selected
            ? candidates.Any(candidate => selected.Any(item => JsonValues.Same(item, candidate)))
            : candidates.Any(candidate => JsonValues.Same(value, candidate));

    /// <summary>zh-CN wording of a condition, e.g. 申请类型为“密码重置”; the field is named without its row.</summary>
    private static string Describe(FormCondition condition, RuleScope scope)
    {
        var field = scope.Field(condition.Field);
        string Values(IEnumerable<JsonNode> values) => string.Join("或", values.Select(value => FormText.Quoted(FormText.Value(field, value))));
        if (condition.Filled is { } filled)
        {
            return filled ? $"已填写{field.Label}" : $"未填写{field.Label}";
        }

        if (condition.EqualTo is { } equalTo)
        {
            return $"{field.Label}为{Values([equalTo])}";
        }

        if (condition.NotEqualTo is { } notEqualTo)
        {
            return $"{field.Label}不为{Values([notEqualTo])}";
        }

        return condition.In is { } inList ? $"{field.Label}为{Values(inList)}" : $"{field.Label}不为{Values(condition.NotIn ?? [])}";
    }

    private static void RequiredWhen(RequiredWhenRule rule, RuleScope scope, List<FormError> errors)
    {
        if (Holds(rule.When, scope) && JsonValues.IsEmpty(scope.Value(rule.Field)))
        {
            Add(errors, rule, scope, rule.Field, "requiredWhen", $"{Describe(rule.When, scope)}时，{scope.Label(rule.Field)}为必填项");
        }
    }

    private static void EmptyWhen(EmptyWhenRule rule, RuleScope scope, List<FormError> errors)
    {
        if (Holds(rule.When, scope) && !JsonValues.IsEmpty(scope.Value(rule.Field)))
        {
            Add(errors, rule, scope, rule.Field, "emptyWhen", $"{Describe(rule.When, scope)}时，不应填写{scope.Label(rule.Field)}");
        }
    }

    private static void AllowedWhen(AllowedWhenRule rule, RuleScope scope, List<FormError> errors)
    {
        var field = scope.Field(rule.Field);
        var value = scope.Value(rule.Field);
        if (!Holds(rule.When, scope) || JsonValues.IsEmpty(value))
        {
            return;
        }

        var allowed = field.Type == FormFieldType.Multiselect && value is JsonArray selected
            ? selected.All(item => rule.Values.Any(candidate => JsonValues.Same(item, candidate)))
            : rule.Values.Any(candidate => JsonValues.Same(value, candidate));
        if (!allowed)
        {
            var values = string.Join("、", rule.Values.Select(candidate => FormText.Quoted(FormText.Value(field, candidate))));
            Add(errors, rule, scope, rule.Field, "allowedWhen", $"{Describe(rule.When, scope)}时，{scope.Label(rule.Field)}只能为{values}");
        }
    }

    private static void Compare(CompareRule rule, RuleScope scope, List<FormError> errors)
    {
        var left = scope.Value(rule.Left);
        var right = scope.Value(rule.Right);
        if (JsonValues.IsEmpty(left) || JsonValues.IsEmpty(right))
        {
            return;
        }

        bool holds;
        if (Comparable(scope.Field(rule.Left), left) is { } leftValue &&
            Comparable(scope.Field(rule.Right), right) is { } rightValue &&
            leftValue.GetType() == rightValue.GetType())
        {
            var order = leftValue.CompareTo(rightValue);
            holds = rule.Operator switch
            {
                CompareOperator.Eq => order == 0,
                CompareOperator.Ne => order != 0,
                CompareOperator.Lt => order < 0,
                CompareOperator.Le => order <= 0,
                CompareOperator.Gt => order > 0,
                CompareOperator.Ge => order >= 0,
                _ => true,
            };
        }
        else if (rule.Operator is CompareOperator.Eq or CompareOperator.Ne)
        {
            holds = JsonValues.Same(left, right) == (rule.Operator == CompareOperator.Eq);
        }
        else
        {
            return;
        }

        if (!holds)
        {
            var reported = scope.IsEditable(rule.Left) ? rule.Left : rule.Right;
            Add(errors, rule, scope, reported, "compare",
                $"{scope.Label(rule.Left)}应{OperatorText(rule.Operator)}{scope.Label(rule.Right)}");
        }
    }

    private static void DateRange(DateRangeRule rule, RuleScope scope, List<FormError> errors)
    {
        var start = Comparable(scope.Field(rule.Start), scope.Value(rule.Start));
        var end = Comparable(scope.Field(rule.End), scope.Value(rule.End));
        var reported = scope.IsEditable(rule.End) ? rule.End : rule.Start;
        switch (start, end)
        {
            case (DateOnly startDate, DateOnly endDate):
                if (endDate < startDate)
                {
                    Add(errors, rule, scope, reported, "dateRange", $"{scope.Label(rule.End)}不能早于{scope.Label(rule.Start)}");
                }
                else if (rule.MaxDays is { } maxDays && endDate.DayNumber - startDate.DayNumber + 1 > maxDays)
                {
                    Add(errors, rule, scope, reported, "dateRange.maxDays",
                        $"{scope.Label(rule.Start)}至{scope.Label(rule.End)}不能超过{maxDays}天");
                }

                break;
            case (DateTimeOffset startTime, DateTimeOffset endTime):
                if (endTime < startTime)
                {
                    Add(errors, rule, scope, reported, "dateRange", $"{scope.Label(rule.End)}不能早于{scope.Label(rule.Start)}");
                }
                else if (rule.MaxDays is { } maxDays && (endTime - startTime).TotalDays > maxDays)
                {
                    Add(errors, rule, scope, reported, "dateRange.maxDays",
                        $"{scope.Label(rule.Start)}至{scope.Label(rule.End)}不能超过{maxDays}天");
                }

                break;
        }
    }

    private static void Unique(UniqueRule rule, RuleScope scope, List<FormError> errors)
    {
        if (scope.Value(rule.Table) is not JsonArray rows)
        {
            return;
        }

        var table = scope.Field(rule.Table);
        var columns = rule.Columns.Select(key => table.Columns!.First(column => column.Key == key)).ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < rows.Count; index++)
        {
            if (rows[index] is not JsonObject row || columns.Any(column => JsonValues.IsEmpty(row[column.Key])))
            {
                continue;
            }

            var key = string.Join('\u001f', columns.Select(column => UniqueKey(row[column.Key]!)));
            if (seen.TryGetValue(key, out var first))
            {
                var label = FormText.CellLabel(scope.Label(rule.Table), index, columns[0].Label);
                var names = string.Join("、", columns.Select(column => column.Label));
                errors.Add(new FormError($"{scope.Path(rule.Table)}[{index}].{columns[0].Key}", "unique",
                    FormText.Override(rule.Message, label,
                        string.Create(CultureInfo.InvariantCulture,
                            $"{FormText.RowLabel(scope.Label(rule.Table), index)}的{names}与第{first + 1}行重复"))));
            }
            else
            {
                seen[key] = index;
            }
        }
    }

    private static string UniqueKey(JsonNode value) =>
        JsonValues.TryGetString(value, out var text) ? "s:" + text.Trim().ToUpperInvariant() : "j:" + value.ToJsonString();

    /// <summary>A value that orders: numbers, dates and date-times; null for anything else.</summary>
    private static IComparable? Comparable(FormField field, JsonNode? value) => field.Type switch
    {
        FormFieldType.Number or FormFieldType.Integer => JsonValues.TryGetNumber(value, out var number) ? number : null,
        FormFieldType.Date => FieldChecker.ParseDate(value),
        FormFieldType.Datetime => FieldChecker.ParseDateTime(value),
        _ => null,
    };

    private static string OperatorText(CompareOperator op) => op switch
    {
        CompareOperator.Eq => "等于",
        CompareOperator.Ne => "不同于",
        CompareOperator.Lt => "小于",
        CompareOperator.Le => "小于或等于",
        CompareOperator.Gt => "大于",
        CompareOperator.Ge => "大于或等于",
        _ => op.ToString(),
    };

    private static void Add(List<FormError> errors, FormRule rule, RuleScope scope, string field, string code, string message) =>
        errors.Add(new FormError(scope.Path(field), code, FormText.Override(rule.Message, scope.Label(field), message)));
}
