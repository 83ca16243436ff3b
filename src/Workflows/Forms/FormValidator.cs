using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// Validates a task's submission against a form schema and normalises it. The same checks are meant to run in the
/// browser; the server's answer is the one that counts.
/// </summary>
public sealed class FormValidator
{
    private readonly Dictionary<string, IFormatValidator> _formats;
    private readonly Dictionary<string, ICustomRule> _rules;
    private readonly FieldChecker _fields;
    private readonly RuleEvaluator _evaluator;

    /// <param name="formats">Named formats; their names must be distinct.</param>
    /// <param name="rules">Named custom rules; their names must be distinct.</param>
    public FormValidator(IEnumerable<IFormatValidator> formats, IEnumerable<ICustomRule> rules)
    {
        ArgumentNullException.ThrowIfNull(formats);
        ArgumentNullException.ThrowIfNull(rules);
        _formats = ByName(formats, format => format.Name, "format");
        _rules = ByName(rules, rule => rule.Name, "custom rule");
        _evaluator = new RuleEvaluator(_rules);
        _fields = new FieldChecker(_formats, _evaluator);
    }

    /// <summary>The engine's built-in formats and custom rules only (<see cref="BuiltInValidators"/>); a module's come through DI (<see cref="FormsServiceCollectionExtensions.AddForms"/>).</summary>
    public static FormValidator Default { get; } = new(BuiltInValidators.Formats, BuiltInValidators.Rules);

    public IReadOnlyDictionary<string, IFormatValidator> Formats => _formats;

    public IReadOnlyDictionary<string, ICustomRule> CustomRules => _rules;

    /// <summary>
    /// Validates <paramref name="data"/>, a task's submission, and merges it into <paramref name="current"/>, the form's
    /// stored data (null for a new form). Neither input is changed.
    /// <list type="bullet">
    /// <item>A key that is not a field of the form is an error ("unknownField").</item>
    /// <item>A hidden field may not be submitted at all ("hidden"); a read-only field only with its current value
    /// ("readOnly"), so that a client may send back the whole form.</item>
    /// <item>Editable fields are normalised and checked, including required-ness; read-only and hidden fields are not.</item>
    /// <item>Cross-field rules run when a field they report on is editable, over the merged data.</item>
    /// </list>
    /// </summary>
    /// <param name="permissions">The task's field permissions; null means every field is editable.</param>
    /// <exception cref="ArgumentException">The permissions name a field the form does not have (a definition bug).</exception>
    public FormValidationResult Validate(FormSchema schema, JsonObject data, FormPermissions? permissions = null, JsonObject? current = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(data);
        permissions ??= FormPermissions.AllEditable;
        if (permissions.UnknownFields(schema) is { Count: > 0 } unknown)
        {
            throw new ArgumentException(
                $"The permissions name fields that form {schema.Id} v{schema.Version} does not have: {string.Join(", ", unknown)}.",
                nameof(permissions));
        }

        var fields = schema.Fields.ToDictionary(field => field.Key, StringComparer.Ordinal);
        var errors = new List<FormError>();
        foreach (var (key, _) in data.Where(entry => !fields.ContainsKey(entry.Key)))
        {
            errors.Add(new FormError(key, "unknownField", $"表单中没有{FormText.Quoted(key)}这一项"));
        }

        var merged = new JsonObject();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields.Values)
        {
            var before = errors.Count;
            var submitted = data.TryGetPropertyValue(field.Key, out var submittedValue);
            var existing = current?[field.Key];
            var value = permissions.For(field.Key) switch
            {
                FieldPermission.Editable => _fields.Check(field, submitted ? submittedValue : existing, field.Key, field.Label, errors),
                FieldPermission.ReadOnly => KeepReadOnly(field, submitted, submittedValue, existing, errors),
                _ => KeepHidden(field, submitted, existing, errors),
            };

            if (errors.Count > before)
            {
                failed.Add(field.Key);
            }

            if (!JsonValues.IsEmpty(value))
            {
                merged[field.Key] = value!.Parent is null ? value : value.DeepClone();
            }
        }

        var scope = new RuleScope(fields, merged, "", "", key => permissions.For(key) == FieldPermission.Editable, failed);
        _evaluator.Evaluate(schema.Rules, scope, errors);
        return new FormValidationResult(errors, merged);
    }

    /// <summary>
    /// Checks a schema's structure against this validator's formats and custom rules: unique keys, options of selects,
    /// columns of tables, patterns that compile, rules that name fields of their scope, defaults that validate.
    /// </summary>
    public IReadOnlyList<FormSchemaError> CheckSchema(FormSchema schema, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new FormSchemaChecker(_formats, _rules, _fields, source).Check(schema);
    }

    private JsonNode? KeepReadOnly(FormField field, bool submitted, JsonNode? submittedValue, JsonNode? existing, List<FormError> errors)
    {
        // A client that sends the whole form back may leave the platform's fields empty: that contradicts nothing.
        if (field.IsFilledByPlatform && JsonValues.IsEmpty(submittedValue)) return existing?.DeepClone();
        if (submitted && !JsonValues.Same(Quietly(field, submittedValue), Quietly(field, existing)))
        {
            errors.Add(field.IsFilledByPlatform
                ? new FormError(field.Key, "platformField", $"{field.Label}由平台根据资源目录和组织机构记录填写，不能修改")
                : new FormError(field.Key, "readOnly", $"{field.Label}在当前环节为只读，不能修改"));
        }

        return existing?.DeepClone();
    }

    private static JsonNode? KeepHidden(FormField field, bool submitted, JsonNode? existing, List<FormError> errors)
    {
        if (submitted)
        {
            errors.Add(new FormError(field.Key, "hidden", $"{field.Label}在当前环节不可见，不能填写"));
        }

        return existing?.DeepClone();
    }

    /// <summary>The normalised value, ignoring problems: to tell whether a resubmitted read-only value changed.</summary>
    private JsonNode? Quietly(FormField field, JsonNode? value)
    {
        var ignored = new List<FormError>();
        var normalized = _fields.Check(field with { Required = false }, value, field.Key, field.Label, ignored);
        return ignored.Count == 0 ? normalized : value;
    }

    private static Dictionary<string, T> ByName<T>(IEnumerable<T> items, Func<T, string> name, string what)
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!byName.TryAdd(name(item), item))
            {
                throw new ArgumentException($"Two {what}s are named '{name(item)}'.", nameof(items));
            }
        }

        return byName;
    }
}
