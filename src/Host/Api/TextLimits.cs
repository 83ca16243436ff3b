using System.Text;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// The longest free text each API request may carry, in one place (issue #9 "bad input"). Lengths count Unicode code
/// points, as the form schemas do (TypeScript <c>[...value].length</c>). Form fields are
/// limited by their schema (<see cref="FormField.EffectiveMaxLength"/>), not here. The web UI shows the same numbers on its
/// inputs (ClientApp <c>src/limits.ts</c>).
/// </summary>
public static class TextLimits
{
    /// <summary>An approval comment (意见), a reason (reject, return, withdraw, extension, suspension…), an urge or 抄送 note.</summary>
    public const int Comment = Workflows.Tasks.TaskService.MaxComment;

    /// <summary>A person's display name (姓名).</summary>
    public const int PersonName = 50;

    /// <summary>A job title (职务).</summary>
    public const int JobTitle = 100;

    /// <summary>A unit's name (单位名称) and a region's name (行政区划名称).</summary>
    public const int UnitName = 100;

    /// <summary>A process definition's name and an activity's name in the designer.</summary>
    public const int DefinitionName = 100;

    /// <summary>A process definition's description.</summary>
    public const int DefinitionDescription = 2000;

    /// <summary>A search term in a list's filter.</summary>
    public const int Search = 100;

    /// <summary>Adds an error to <paramref name="errors"/> when <paramref name="value"/> is longer than <paramref name="max"/>.</summary>
    public static void Check(FieldErrors errors, string field, string? value, int max, string label)
    {
        if (Problem(value, max, label) is { } message) errors.Add(field, message);
    }

    /// <summary>
    /// A 400 <c>text_too_long</c> naming every field that is too long, or null. Each field is (JSON property, value,
    /// limit, zh-CN label).
    /// </summary>
    public static IResult? Check(params ReadOnlySpan<(string Field, string? Value, int Max, string Label)> fields)
    {
        Dictionary<string, List<string>>? errors = null;
        foreach (var (field, value, max, label) in fields)
            if (Problem(value, max, label) is { } message)
                (errors ??= [])[field] = [message];
        return errors is null ? null : Problems.Fields("text_too_long", errors);
    }

    /// <summary>
    /// The zh-CN message for a text over its limit, or with a NUL character (PostgreSQL's text cannot hold one: it was a
    /// 500 there), or null.
    /// </summary>
    public static string? Problem(string? value, int max, string label)
    {
        if (value is null) return null;
        if (value.Contains('\0', StringComparison.Ordinal)) return $"{label}不能包含空字符（U+0000）。";
        if (value.Length <= max) return null;
        var length = value.EnumerateRunes().Count();
        return length <= max ? null : $"{label}不能超过 {max} 个字（当前 {length} 个）。";
    }
}

/// <summary>
/// The text limits as an endpoint filter: a request whose text is over its limit (or holds a NUL) is refused with 400
/// <c>text_too_long</c> naming every such field (<see cref="TextLimits.Check(ReadOnlySpan{ValueTuple{string, string, int, string}})"/>)
/// before its handler runs, so the handler neither reads the case nor writes anything.
/// </summary>
public static class TextLimitFilter
{
    /// <summary>Limits texts of the request body <typeparamref name="TRequest"/>: each is (JSON property, how to read it, limit, zh-CN label).</summary>
    public static RouteHandlerBuilder LimitText<TRequest>(this RouteHandlerBuilder builder,
        params (string Field, Func<TRequest, string?> Value, int Max, string Label)[] texts) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (context.Arguments.OfType<TRequest>().FirstOrDefault() is { } request
                && TextLimits.Check([.. texts.Select(t => (t.Field, t.Value(request), t.Max, t.Label))]) is { } tooLong)
                return tooLong;
            return await next(context);
        });

    /// <summary>Limits a query string parameter (a list's search term).</summary>
    public static RouteHandlerBuilder LimitQueryText(this RouteHandlerBuilder builder, string parameter, int max, string label) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var value = context.HttpContext.Request.Query[parameter];
            return TextLimits.Check((parameter, value.Count == 0 ? null : value.ToString(), max, label)) is { } tooLong ? tooLong : await next(context);
        });
}
