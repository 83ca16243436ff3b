using System.Diagnostics.CodeAnalysis;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>The loaded form schemas by id and version; immutable once built.</summary>
public sealed class FormSchemaRegistry
{
    private readonly Dictionary<string, SortedList<int, FormSchema>> _byId = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">Two schemas have the same id and version.</exception>
    public FormSchemaRegistry(IEnumerable<FormSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        foreach (var schema in schemas)
        {
            if (!_byId.TryGetValue(schema.Id, out var versions))
            {
                _byId[schema.Id] = versions = [];
            }

            if (!versions.TryAdd(schema.Version, schema))
            {
                throw new ArgumentException($"Form {schema.Id} version {schema.Version} is given twice.", nameof(schemas));
            }
        }
    }

    /// <summary>The latest version of each form, ordered by id.</summary>
    public IReadOnlyList<FormSchema> Latest =>
        _byId.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Value.Values[^1]).ToList();

    public IReadOnlyList<int> Versions(string id) => _byId.TryGetValue(id, out var versions) ? versions.Keys.ToList() : [];

    /// <summary>The latest version of the form <paramref name="id"/>.</summary>
    public bool TryGet(string id, [NotNullWhen(true)] out FormSchema? schema)
    {
        schema = _byId.TryGetValue(id, out var versions) ? versions.Values[^1] : null;
        return schema is not null;
    }

    public bool TryGet(string id, int version, [NotNullWhen(true)] out FormSchema? schema)
    {
        schema = _byId.TryGetValue(id, out var versions) && versions.TryGetValue(version, out var found) ? found : null;
        return schema is not null;
    }

    /// <exception cref="KeyNotFoundException">No form has that id.</exception>
    public FormSchema Get(string id) =>
        TryGet(id, out var schema) ? schema : throw new KeyNotFoundException($"No form schema has the id '{id}'.");

    /// <exception cref="KeyNotFoundException">The form or that version of it is not loaded.</exception>
    public FormSchema Get(string id, int version) =>
        TryGet(id, version, out var schema) ? schema : throw new KeyNotFoundException($"No form schema {id} version {version}.");
}
