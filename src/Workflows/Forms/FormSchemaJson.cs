using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Forms;

/// <summary>
/// Reads and writes form schemas as JSON: camelCase, enums as camelCase strings, rules tagged by "kind", Chinese written
/// as is. Reading is strict (unknown properties, missing required ones and nulls where a value is needed are errors)
/// and comes back as errors, never as an exception. It checks the JSON shape only: see <see cref="FormValidator.CheckSchema"/>.
/// </summary>
public static class FormSchemaJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static FormSchemaParseResult Parse(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var schema = JsonSerializer.Deserialize<FormSchema>(json, Options);
            return schema is null
                ? new FormSchemaParseResult(null, [new FormSchemaError(source, "", "文件内容为 null，不是表单定义")])
                : new FormSchemaParseResult(schema, []);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $"（第 {line + 1} 行附近）" : "";
            return new FormSchemaParseResult(null,
                [new FormSchemaError(source, exception.Path ?? "", $"不是有效的表单定义{where}：{exception.Message}")]);
        }
    }

    public static string Serialize(FormSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return JsonSerializer.Serialize(schema, Options);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowOutOfOrderMetadataProperties = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>The schema read from JSON, or why it could not be read.</summary>
public sealed record FormSchemaParseResult(FormSchema? Schema, IReadOnlyList<FormSchemaError> Errors);
