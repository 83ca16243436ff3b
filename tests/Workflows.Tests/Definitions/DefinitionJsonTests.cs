using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Definitions;

namespace PdsWorkflow.Workflows.Tests.Definitions;

public sealed class DefinitionJsonTests
{
    /// <summary>A definition as Elsa 3 Studio writes it, with properties this engine does not interpret.</summary>
    private const string ElsaShaped = """
    {
      "id": "7f0c2b1e",
      "definitionId": "subscription-same-level",
      "name": "库表订阅（同级）",
      "description": "数据需求方订阅同级部门的库表",
      "createdAt": "2026-11-01T08:00:00+08:00",
      "version": 3,
      "toolVersion": "3.2.0.0",
      "isLatest": true,
      "isPublished": false,
      "variables": [
        { "id": "v1", "name": "shareType", "typeName": "Int32", "value": 2, "storageDriverTypeName": "Workflow" }
      ],
      "options": { "autoUpdateConsumingWorkflows": false },
      "customProperties": { "owner": "市大数据局" },
      "root": {
        "type": "Flowchart",
        "id": "flowchart1",
        "version": 1,
        "activities": [
          { "id": "start", "type": "Start", "version": 1, "canStartWorkflow": true,
            "metadata": { "designer": { "position": { "x": 40, "y": 120 }, "size": { "width": 120, "height": 50 } } } },
          { "id": "decide", "type": "Decision", "name": "是否有条件共享",
            "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "variables.shareType === 2" } },
            "customProperties": { "note": "见 001 第十条" },
            "metadata": { "designer": { "position": { "x": 240, "y": 120 } }, "displayText": "条件共享？" } },
          { "id": "end", "type": "End", "result": { "expression": { "type": "Literal", "value": { "ok": true, "items": [1, 2] } } } }
        ],
        "connections": [
          { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "decide", "port": "In" }, "vertices": [] },
          { "source": { "activity": "decide", "port": "True" }, "target": { "activity": "end", "port": "In" },
            "vertices": [ { "x": 300, "y": 200 } ] }
        ]
      }
    }
    """;

    [Test]
    public void Elsa_shaped_json_survives_a_load_and_save_unchanged()
    {
        var definition = DefinitionSerializer.Deserialize(ElsaShaped);
        var saved = DefinitionSerializer.Serialize(definition);

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ElsaShaped), JsonNode.Parse(saved)), Is.True, saved);
    }

    [Test]
    public void Inputs_are_read_as_typed_values_and_other_properties_are_kept_aside()
    {
        var definition = DefinitionSerializer.Deserialize(ElsaShaped);
        var decide = definition.Root.Activities.Single(a => a.Id == "decide");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decide.Name, Is.EqualTo("是否有条件共享"));
            Assert.That(decide.Inputs.Keys, Is.EqualTo(new[] { "condition" }));
            Assert.That(decide.Inputs["condition"].Expression.IsJavaScript, Is.True);
            Assert.That(decide.Inputs["condition"].Expression.Value?.GetValue<string>(), Is.EqualTo("variables.shareType === 2"));
            Assert.That(decide.Extra.Keys, Is.EqualTo(new[] { "customProperties" }));
            Assert.That(decide.Metadata?["designer"]?["position"]?["x"]?.GetValue<int>(), Is.EqualTo(240));
            Assert.That(definition.Version, Is.EqualTo(3));
            Assert.That(definition.Variables.Single().Value?.GetValue<int>(), Is.EqualTo(2));
        }
    }

    [Test]
    public void Content_hash_ignores_version_bookkeeping_and_key_order_but_not_content()
    {
        var a = DefinitionSerializer.Deserialize(ElsaShaped);
        var b = DefinitionSerializer.Deserialize(ElsaShaped);
        b.Version = 9;
        b.IsPublished = true;
        b.Id = "other";
        var reordered = JsonNode.Parse(ElsaShaped)!.AsObject();
        var root = reordered["root"]!.DeepClone();
        reordered.Remove("root");
        reordered.Insert(0, "root", root);
        var c = DefinitionSerializer.Deserialize(reordered.ToJsonString());
        var changed = DefinitionSerializer.Deserialize(ElsaShaped);
        changed.Root.Activities[1].Inputs["condition"].Expression.Value = "variables.shareType === 1";

        Assert.That(DefinitionSerializer.ContentHash(b), Is.EqualTo(DefinitionSerializer.ContentHash(a)));
        Assert.That(DefinitionSerializer.ContentHash(c), Is.EqualTo(DefinitionSerializer.ContentHash(a)));
        Assert.That(DefinitionSerializer.ContentHash(changed), Is.Not.EqualTo(DefinitionSerializer.ContentHash(a)));
    }

    [TestCase("""{ "name": "x", "root": { "activities": [] } }""", "definitionId")]
    [TestCase("""{ "definitionId": "x", "root": { "activities": [ { "type": "Start" } ] } }""", "'id'")]
    [TestCase("""{ "definitionId": "x", "root": { "activities": [ { "id": "s" } ] } }""", "'type'")]
    public void Malformed_definitions_are_refused_with_the_reason(string json, string mentioned)
    {
        var error = Assert.Throws(Is.InstanceOf<System.Text.Json.JsonException>(), () => DefinitionSerializer.Deserialize(json));
        Assert.That(error!.Message, Does.Contain(mentioned));
    }
}
