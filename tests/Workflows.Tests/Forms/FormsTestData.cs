using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

/// <summary>The shipped schemas, and small schemas and data written inline for the engine's own tests.</summary>
internal static class FormsTestData
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Lazy<string> Folder = new(FindFormsFolder);
    private static readonly Lazy<FormSchemaRegistry> Shipped = new(LoadShipped);

    /// <summary>Fictitious, structurally valid codes (computed with GB 32100 / GB 11714 by hand, see UsccValidatorTests).</summary>
    public const string MunicipalAgencyCode = "11410400MB1234562W";

    public const string CountyCompanyCode = "91410402MA3X7K2P2D";

    public const string CountyAssociationCode = "52410425MJ0012342L";

    public static string FormsFolder => Folder.Value;

    public static FormSchemaRegistry Registry => Shipped.Value;

    public static FormSchema Schema(string json)
    {
        var parsed = FormSchemaJson.Parse(json);
        Assert.That(parsed.Errors, Is.Empty, "test schema must parse");
        Assert.That(FormValidator.Default.CheckSchema(parsed.Schema!), Is.Empty, "test schema must check cleanly");
        return parsed.Schema!;
    }

    /// <summary>A schema with one section holding the given field definitions (JSON objects), and optional rules.</summary>
    public static FormSchema WithFields(string fieldsJson, string rulesJson = "[]") => Schema($$"""
        { "id": "test-form", "version": 1, "title": "测试表单",
          "sections": [ { "key": "main", "title": "主要信息", "fields": [ {{fieldsJson}} ] } ],
          "rules": {{rulesJson}} }
        """);

    /// <summary>Compact JSON with Chinese written as is.</summary>
    public static string Json(JsonNode? node) => node?.ToJsonString(CompactJson) ?? "null";

    public static JsonObject Data(string json) => JsonNode.Parse(json)!.AsObject();

    public static FormValidationResult Validate(FormSchema schema, string json, FormPermissions? permissions = null, JsonObject? current = null) =>
        FormValidator.Default.Validate(schema, Data(json), permissions, current);

    public static JsonObject File(string name) => new() { ["id"] = $"upload-{Guid.NewGuid():N}", ["name"] = name, ["size"] = 204_800 };

    private static FormSchemaRegistry LoadShipped()
    {
        var loaded = FormSchemaFolder.Load(FormsFolder, FormValidator.Default);
        Assert.That(loaded.Errors, Is.Empty, "the shipped form schemas must be valid");
        return new FormSchemaRegistry(loaded.Schemas);
    }

    private static string FindFormsFolder()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "PdsWorkflow.sln")))
            {
                return Path.Combine(directory.FullName, "definitions", "forms");
            }
        }

        throw new InvalidOperationException($"No PdsWorkflow.sln above {TestContext.CurrentContext.TestDirectory}; cannot find the form schemas.");
    }
}
