using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Definitions;

/// <summary>
/// One activity of a flowchart. Elsa 3 writes inputs as properties of the activity object
/// (<c>{"id":"a","type":"Decision","condition":{"typeName":"Boolean","expression":{...}}}</c>); any object property
/// carrying an <c>expression</c> is an input, everything else that is not a known key is kept verbatim.
/// </summary>
[JsonConverter(typeof(ActivityNodeConverter))]
public sealed class ActivityNode
{
    public required string Id { get; set; }
    public required string Type { get; set; }
    public string? Name { get; set; }
    public int? Version { get; set; }
    public JsonObject? Metadata { get; set; }

    /// <summary>Inputs by camelCase property name.</summary>
    public Dictionary<string, InputValue> Inputs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Properties this engine does not interpret, kept for a lossless round trip.</summary>
    public Dictionary<string, JsonNode?> Extra { get; set; } = new(StringComparer.Ordinal);

    public InputValue? GetInput(string name) => Inputs.GetValueOrDefault(name);

    public ActivityNode WithInput(string name, InputValue value)
    {
        Inputs[name] = value;
        return this;
    }
}

internal sealed class ActivityNodeConverter : JsonConverter<ActivityNode>
{
    public override ActivityNode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var obj = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("An activity must be a JSON object.");
        string? id = null, type = null, name = null;
        int? version = null;
        JsonObject? metadata = null;
        var inputs = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        var extra = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "id": id = value?.GetValue<string>(); break;
                case "type": type = value?.GetValue<string>(); break;
                case "name": name = value?.GetValue<string>(); break;
                case "version" when value is JsonValue v && v.TryGetValue<int>(out var n): version = n; break;
                case "metadata" when value is JsonObject m: metadata = (JsonObject)m.DeepClone(); break;
                default:
                    if (value is JsonObject candidate && candidate.ContainsKey("expression"))
                        inputs[key] = candidate.Deserialize<InputValue>(options) ?? throw new JsonException($"Input '{key}' of activity '{id}' is not valid.");
                    else
                        extra[key] = value?.DeepClone();
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(id)) throw new JsonException("An activity has no 'id'.");
        if (string.IsNullOrWhiteSpace(type)) throw new JsonException($"Activity '{id}' has no 'type'.");
        return new ActivityNode { Id = id, Type = type, Name = name, Version = version, Metadata = metadata, Inputs = inputs, Extra = extra };
    }

    public override void Write(Utf8JsonWriter writer, ActivityNode value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("type", value.Type);
        if (value.Name is not null) writer.WriteString("name", value.Name);
        if (value.Version is { } version) writer.WriteNumber("version", version);
        foreach (var (key, input) in value.Inputs)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, input, options);
        }

        foreach (var (key, node) in value.Extra)
        {
            writer.WritePropertyName(key);
            if (node is null) writer.WriteNullValue(); else node.WriteTo(writer, options);
        }

        if (value.Metadata is not null)
        {
            writer.WritePropertyName("metadata");
            value.Metadata.WriteTo(writer, options);
        }

        writer.WriteEndObject();
    }
}
