using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// The field permissions of one task: a map of top-level field key to permission, and the permission of every field the
/// map does not name. A table's permission covers all its rows and columns. JSON:
/// <c>{ "default": "readOnly", "fields": { "reply": "editable", "internalNote": "hidden" } }</c>.
/// </summary>
public sealed class FormPermissions
{
    [JsonConstructor]
    public FormPermissions(IReadOnlyDictionary<string, FieldPermission>? fields = null, FieldPermission @default = FieldPermission.Editable)
    {
        Fields = fields is null ? new Dictionary<string, FieldPermission>() : new Dictionary<string, FieldPermission>(fields);
        Default = @default;
    }

    /// <summary>Every field editable.</summary>
    public static FormPermissions AllEditable { get; } = new();

    public FieldPermission Default { get; }

    public IReadOnlyDictionary<string, FieldPermission> Fields { get; }

    /// <summary>Only <paramref name="keys"/> editable; everything else read-only.</summary>
    public static FormPermissions EditableOnly(params IEnumerable<string> keys) =>
        new(keys.ToDictionary(key => key, _ => FieldPermission.Editable), FieldPermission.ReadOnly);

    /// <summary>These permissions with <paramref name="keys"/> at most read-only (a hidden field stays hidden).</summary>
    public FormPermissions WithReadOnly(IEnumerable<string> keys)
    {
        var fields = new Dictionary<string, FieldPermission>(Fields);
        foreach (var key in keys)
            if (For(key) == FieldPermission.Editable) fields[key] = FieldPermission.ReadOnly;
        return new FormPermissions(fields, Default);
    }

    public FieldPermission For(string key) => Fields.TryGetValue(key, out var permission) ? permission : Default;

    /// <summary>The keys of the map that are not top-level fields of <paramref name="schema"/>.</summary>
    public IReadOnlyList<string> UnknownFields(FormSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var keys = schema.Fields.Select(field => field.Key).ToHashSet(StringComparer.Ordinal);
        return Fields.Keys.Where(key => !keys.Contains(key)).Order(StringComparer.Ordinal).ToList();
    }
}
