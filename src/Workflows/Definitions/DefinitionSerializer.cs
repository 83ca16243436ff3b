using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdsWorkflow.Workflows.Definitions;

/// <summary>Reads and writes definitions in Elsa 3's JSON shape.</summary>
public static class DefinitionSerializer
{
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: true);

    private static readonly JsonSerializerOptions Compact = CreateOptions(indented: false);

    private static readonly string[] VersionFields = ["id", "version", "isLatest", "isPublished", "createdAt", "publishedAt"];

    public static WorkflowDefinition Deserialize(string json)
    {
        var definition = JsonSerializer.Deserialize<WorkflowDefinition>(json, Options)
            ?? throw new JsonException("The definition is empty.");
        if (string.IsNullOrWhiteSpace(definition.DefinitionId)) throw new JsonException("The definition has no 'definitionId'.");
        return definition;
    }

    public static string Serialize(WorkflowDefinition definition, bool indented = true) =>
        JsonSerializer.Serialize(definition, indented ? Options : Compact);

    public static WorkflowDefinition Clone(WorkflowDefinition definition) => Deserialize(Serialize(definition, indented: false));

    /// <summary>
    /// SHA-256 of the definition's content with the version bookkeeping fields removed and keys sorted, so that the
    /// same process saved by different tools, or re-imported from an unchanged file, hashes the same.
    /// </summary>
    public static string ContentHash(WorkflowDefinition definition)
    {
        var node = JsonNode.Parse(Serialize(definition, indented: false))!.AsObject();
        foreach (var field in VersionFields) node.Remove(field);
        var canonical = Canonicalize(node)!.ToJsonString(Compact);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static JsonNode? Canonicalize(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonicalize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonicalize).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
