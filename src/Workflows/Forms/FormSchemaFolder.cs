namespace PdsWorkflow.Workflows.Forms;

/// <summary>Loads and checks every form schema (*.json) of a folder, e.g. definitions/forms.</summary>
public static class FormSchemaFolder
{
    public static FormSchemaLoadResult Load(string folder, FormValidator validator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(validator);
        if (!Directory.Exists(folder))
        {
            return new FormSchemaLoadResult([], [new FormSchemaError(folder, "", "找不到表单定义目录")]);
        }

        var errors = new List<FormSchemaError>();
        var schemas = new List<(string File, FormSchema Schema)>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var parsed = FormSchemaJson.Parse(File.ReadAllText(path), file);
            errors.AddRange(parsed.Errors);
            if (parsed.Schema is not { } schema)
            {
                continue;
            }

            var problems = validator.CheckSchema(schema, file);
            errors.AddRange(problems);
            if (problems.Count > 0)
            {
                continue;
            }

            if (schemas.FirstOrDefault(loaded => loaded.Schema.Id == schema.Id && loaded.Schema.Version == schema.Version) is
                { File: { } earlier })
            {
                errors.Add(new FormSchemaError(file, "version", $"表单 {schema.Id} 第 {schema.Version} 版已在 {earlier} 中定义"));
                continue;
            }

            schemas.Add((file, schema));
        }

        return new FormSchemaLoadResult(schemas.Select(loaded => loaded.Schema).ToList(), errors);
    }
}

/// <summary>The schemas that loaded and checked cleanly, and every problem found in the others.</summary>
public sealed record FormSchemaLoadResult(IReadOnlyList<FormSchema> Schemas, IReadOnlyList<FormSchemaError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
