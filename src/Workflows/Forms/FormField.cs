using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// One field of a form, or one column of a table field. The data of a form is a flat JSON object keyed by
/// <see cref="Key"/>; a table's value is an array of row objects keyed by its columns' keys.
/// </summary>
public sealed record FormField
{
    /// <summary>The property name in the data: a letter, then letters, digits or underscores.</summary>
    public required string Key { get; init; }

    /// <summary>zh-CN; also names the field in error messages.</summary>
    public required string Label { get; init; }

    public required FormFieldType Type { get; init; }

    /// <summary>zh-CN guidance shown under the field (the "填写说明" of the paper forms).</summary>
    public string? Help { get; init; }

    public string? Placeholder { get; init; }

    /// <summary>The value a new form starts with (UI prefill); validation does not apply it.</summary>
    public JsonNode? Default { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Required { get; init; }

    /// <summary>
    /// <see cref="PlatformSource"/>: the platform fills the field from its own records (<see cref="IRecordedFactsSource"/>),
    /// e.g. the provider of the resource the form names, or the applicant's unit. Where the records settle it, it is
    /// read-only at every step and a client value that differs from the platform's is refused; where they do not (a
    /// provincial resource the city catalog does not hold yet), the applicant fills it.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>The value of <see cref="Source"/> for fields the platform fills.</summary>
    public const string PlatformSource = "platform";

    [JsonIgnore]
    public bool IsFilledByPlatform => Source == PlatformSource;

    /// <summary>Text length in Unicode code points (TypeScript: <c>[...value].length</c>).</summary>
    public int? MinLength { get; init; }

    /// <summary>Text length in Unicode code points.</summary>
    public int? MaxLength { get; init; }

    /// <summary>An ECMAScript regular expression the whole trimmed value must match (it is anchored by the engine).</summary>
    public string? Pattern { get; init; }

    /// <summary>zh-CN message when <see cref="Pattern"/> does not match; "{label}" is replaced by the field's label.</summary>
    public string? PatternMessage { get; init; }

    /// <summary>Smallest allowed number (number and integer fields).</summary>
    public decimal? Min { get; init; }

    /// <summary>Largest allowed number (number and integer fields).</summary>
    public decimal? Max { get; init; }

    /// <summary>A named format validator for text values, e.g. "uscc", "mobileOrLandline", "ipList", "resourceCode".</summary>
    public string? Format { get; init; }

    /// <summary>The choices of a select or multiselect field.</summary>
    public IReadOnlyList<FormOption>? Options { get; init; }

    /// <summary>Fewest selected values (multiselect) or rows (table).</summary>
    public int? MinItems { get; init; }

    /// <summary>Most selected values (multiselect) or rows (table).</summary>
    public int? MaxItems { get; init; }

    /// <summary>Allowed file extensions of a file field, lower case without the dot, e.g. ["pdf", "jpg"].</summary>
    public IReadOnlyList<string>? Accept { get; init; }

    /// <summary>The columns of a table field; a column cannot itself be a table.</summary>
    public IReadOnlyList<FormField>? Columns { get; init; }

    /// <summary>Cross-field rules applied to each row of a table field; they name the row's columns.</summary>
    public IReadOnlyList<FormRule>? Rules { get; init; }

    /// <summary>The effective format: <see cref="Format"/>, or the one implied by the email and phone types.</summary>
    [JsonIgnore]
    public string? EffectiveFormat => Format ?? Type switch
    {
        FormFieldType.Email => "email",
        FormFieldType.Phone => "mobileOrLandline",
        _ => null,
    };

    /// <summary>The most characters a text field of a form without its own <see cref="MaxLength"/> takes.</summary>
    public const int DefaultTextMaxLength = 200;

    /// <summary>The most characters a textarea field without its own <see cref="MaxLength"/> takes.</summary>
    public const int DefaultTextareaMaxLength = 2000;

    /// <summary>An e-mail address (RFC 5321's path limit).</summary>
    public const int DefaultEmailMaxLength = 254;

    /// <summary>A phone number, with extension.</summary>
    public const int DefaultPhoneMaxLength = 30;

    /// <summary>
    /// The limit the server checks: <see cref="MaxLength"/>, or the default of the field's type, so that no free text of a
    /// form is unbounded (issue #9). The web UI applies the same defaults (ClientApp <c>src/forms/schema.ts</c>).
    /// </summary>
    [JsonIgnore]
    public int? EffectiveMaxLength => MaxLength ?? Type switch
    {
        FormFieldType.Text => DefaultTextMaxLength,
        FormFieldType.Textarea => DefaultTextareaMaxLength,
        FormFieldType.Email => DefaultEmailMaxLength,
        FormFieldType.Phone => DefaultPhoneMaxLength,
        _ => null,
    };

    internal bool IsText => Type is FormFieldType.Text or FormFieldType.Textarea or FormFieldType.Email or FormFieldType.Phone;
}
