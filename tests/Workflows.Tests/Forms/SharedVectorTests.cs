using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

/// <summary>
/// The test vectors the web UI's validator is held to as well (tests/vectors/form-validation.json, read by
/// src/Host/ClientApp/src/forms/vectors.test.ts): the server gives exactly the errors each vector expects, so the browser's
/// messages, paths and codes cannot drift from the server's without one side's test failing.
/// </summary>
public sealed class SharedVectorTests
{
    public static string VectorsFile => Path.Combine(ShippedData.RepositoryRoot, "tests", "vectors", "form-validation.json");

    [TestCaseSource(nameof(Vectors))]
    public void The_server_gives_the_errors_the_vector_expects(JsonObject vector)
    {
        var schema = FormsTestData.Schema(new JsonObject
        {
            ["id"] = "vector",
            ["version"] = 1,
            ["title"] = "测试向量",
            ["sections"] = new JsonArray(new JsonObject { ["key"] = "main", ["title"] = "主要信息", ["fields"] = Fields(vector) }),
            ["rules"] = vector["rules"]?.DeepClone() ?? new JsonArray(),
        }.ToJsonString());

        var result = ShippedData.Validator.Validate(schema, Data(vector));

        var expected = vector["errors"]!.AsArray().Select(e => $"{e!["path"]} [{e["code"]}] {e["message"]}").Order(StringComparer.Ordinal);
        Assert.That(result.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal), Is.EqualTo(expected));
    }

    [Test]
    public void The_vectors_cover_every_field_type_format_and_declarative_rule_kind()
    {
        var vectors = Vectors().Select(c => (JsonObject)c.Arguments[0]!).ToList();
        var fields = vectors.SelectMany(v => Fields(v).Select(f => f!.AsObject())).ToList();
        var columns = fields.SelectMany(f => f["columns"]?.AsArray().Select(c => c!.AsObject()) ?? []).ToList();
        var rules = vectors.SelectMany(v => v["rules"]?.AsArray() ?? []).Concat(fields.SelectMany(f => f["rules"]?.AsArray() ?? []));

        var types = fields.Concat(columns).Select(f => f["type"]!.GetValue<string>()).ToHashSet();
        var formats = fields.Concat(columns).Select(f => f.Deserialize<FormField>(FormSchemaJson.Options)!.EffectiveFormat).OfType<string>().ToHashSet();
        var kinds = rules.Select(r => r!["kind"]!.GetValue<string>()).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(types, Is.SupersetOf(Enum.GetValues<FormFieldType>().Select(t => FormSchemaJson.Options.PropertyNamingPolicy!.ConvertName(t.ToString()))));
            Assert.That(formats, Is.SupersetOf(ShippedData.Validator.Formats.Keys));
            Assert.That(kinds, Is.SupersetOf(new[] { "requiredWhen", "emptyWhen", "allowedWhen", "compare", "dateRange", "unique" }));
        }
    }

    private static JsonArray Fields(JsonObject vector) =>
        vector["field"] is { } field ? new JsonArray(field.DeepClone()) : vector["fields"]!.AsArray().DeepClone().AsArray();

    /// <summary>The submission: a form vector's data, or one field's value (no value: the field is not submitted).</summary>
    private static JsonObject Data(JsonObject vector)
    {
        if (vector["field"] is not { } field) return vector["data"]!.DeepClone().AsObject();
        var data = new JsonObject();
        if (vector.TryGetPropertyValue("value", out var value)) data[field["key"]!.GetValue<string>()] = value?.DeepClone();
        return data;
    }

    public static IEnumerable<TestCaseData> Vectors() =>
        JsonNode.Parse(File.ReadAllText(VectorsFile))!["vectors"]!.AsArray()
            .Select(v => new TestCaseData(v!.AsObject()).SetArgDisplayNames(v["name"]!.GetValue<string>()));
}
