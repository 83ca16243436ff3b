using PdsWorkflow.Tests.Support;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

/// <summary>The shipped schemas, and small schemas and data written inline for the engine's own tests.</summary>
internal static class FormsTestData
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Fictitious, structurally valid codes (computed with GB 32100 / GB 11714 by hand, see UsccValidatorTests).</summary>
    public const string MunicipalAgencyCode = FormExamples.MunicipalAgencyCode;

    public const string CountyCompanyCode = FormExamples.CountyCompanyCode;

    public const string CountyAssociationCode = "52410425MJ0012342L";

    public static string FormsFolder => PdsWorkflow.Tests.Support.ShippedData.FormsFolder;

    public static FormSchemaRegistry Registry => PdsWorkflow.Tests.Support.ShippedData.FormRegistry;

    public static FormSchema Schema(string json)
    {
        var parsed = FormSchemaJson.Parse(json);
        Assert.That(parsed.Errors, Is.Empty, "test schema must parse");
        Assert.That(ShippedData.Validator.CheckSchema(parsed.Schema!), Is.Empty, "test schema must check cleanly");
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
        ShippedData.Validator.Validate(schema, Data(json), permissions, current);

    public static JsonObject File(string name) => FormExamples.File(name);
}
