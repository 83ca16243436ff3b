using System.Text.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class FieldPermissionTests
{
    private static readonly FormSchema Schema = FormsTestData.WithFields("""
        { "key": "applicant", "label": "申请人", "type": "text", "required": true },
        { "key": "days", "label": "使用期限（天）", "type": "integer", "required": true, "min": 1, "max": 1095 },
        { "key": "decision", "label": "审批意见", "type": "select", "required": true,
          "options": [ { "value": "approve", "label": "同意" }, { "value": "reject", "label": "不同意" } ] },
        { "key": "reason", "label": "不同意的理由", "type": "textarea" },
        { "key": "internalNote", "label": "内部备注", "type": "text" }
        """, """
        [ { "kind": "requiredWhen", "field": "reason", "when": { "field": "decision", "equals": "reject" } },
          { "kind": "requiredWhen", "field": "internalNote", "when": { "field": "days", "equals": 1095 } } ]
        """);

    /// <summary>The provider approver's task: decides, sees the request, never the bureau's note.</summary>
    private static readonly FormPermissions Approver = new(
        new Dictionary<string, FieldPermission>
        {
            ["decision"] = FieldPermission.Editable,
            ["reason"] = FieldPermission.Editable,
            ["internalNote"] = FieldPermission.Hidden,
        },
        FieldPermission.ReadOnly);

    private static JsonObject Current() => FormsTestData.Data("""{ "applicant": "钱思远", "days": 365, "internalNote": "已电话核实" }""");

    [Test]
    public void Writing_a_read_only_field_is_refused_not_dropped()
    {
        var result = FormsTestData.Validate(Schema, """{ "decision": "approve", "days": 1000 }""", Approver, Current());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.EqualTo(new[] { new FormError("days", "readOnly", "使用期限（天）在当前环节为只读，不能修改") }));
            Assert.That(result.Data["days"]!.GetValue<int>(), Is.EqualTo(365), "the stored value stays");
        }
    }

    [Test]
    public void Clearing_a_read_only_field_is_a_write()
    {
        var errors = FormsTestData.Validate(Schema, """{ "decision": "approve", "applicant": null }""", Approver, Current()).Errors;

        Assert.That(errors.Select(error => (error.Field, error.Code)), Is.EqualTo(new[] { ("applicant", "readOnly") }));
    }

    [Test]
    public void Sending_back_a_read_only_value_unchanged_is_not_a_write()
    {
        var errors = FormsTestData.Validate(Schema, """{ "decision": "approve", "applicant": " 钱思远 ", "days": "365" }""", Approver, Current()).Errors;

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Writing_a_hidden_field_is_refused_even_with_its_current_value()
    {
        var errors = FormsTestData.Validate(Schema, """{ "decision": "approve", "internalNote": "已电话核实" }""", Approver, Current()).Errors;

        Assert.That(errors, Is.EqualTo(new[] { new FormError("internalNote", "hidden", "内部备注在当前环节不可见，不能填写") }));
    }

    [Test]
    public void Only_editable_fields_are_required()
    {
        var errors = FormsTestData.Validate(Schema, "{}", Approver, current: null).Errors;

        Assert.That(errors, Is.EqualTo(new[] { new FormError("decision", "required", "审批意见为必填项") }),
            "applicant and days are required but read-only here");
    }

    [Test]
    public void Read_only_and_hidden_values_are_not_validated()
    {
        var current = FormsTestData.Data("""{ "applicant": "钱思远", "days": 5000 }""");

        var errors = FormsTestData.Validate(Schema, """{ "decision": "approve" }""", Approver, current).Errors;

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void The_result_merges_the_submission_into_the_current_data()
    {
        var result = FormsTestData.Validate(Schema, """{ "decision": "reject", "reason": " 用途与申请依据不符 " }""", Approver, Current());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(FormsTestData.Json(result.Data),
                Is.EqualTo("""{"applicant":"钱思远","days":365,"decision":"reject","reason":"用途与申请依据不符","internalNote":"已电话核实"}"""));
        }
    }

    [Test]
    public void Rules_read_read_only_values_but_run_only_for_editable_fields()
    {
        var current = FormsTestData.Data("""{ "applicant": "钱思远", "days": 1095 }""");

        var errors = FormsTestData.Validate(Schema, """{ "decision": "reject" }""", Approver, current).Errors;

        Assert.That(errors, Is.EqualTo(new[] { new FormError("reason", "requiredWhen", "审批意见为“不同意”时，不同意的理由为必填项") }),
            "the internal note rule fires on days = 1095 but the note is hidden here");
    }

    [Test]
    public void An_editable_field_not_submitted_keeps_and_revalidates_its_current_value()
    {
        var editor = FormPermissions.EditableOnly("applicant", "days");

        var result = FormsTestData.Validate(Schema, """{ "applicant": "孙雨桐" }""", editor, Current());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Data["applicant"]!.GetValue<string>(), Is.EqualTo("孙雨桐"));
            Assert.That(result.Data["days"]!.GetValue<int>(), Is.EqualTo(365));
        }
    }

    [Test]
    public void Without_permissions_every_field_is_editable()
    {
        var errors = FormsTestData.Validate(Schema, """{ "applicant": "钱思远", "days": 30, "decision": "approve", "internalNote": "无" }""").Errors;

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Unknown_fields_are_refused_whatever_the_permissions()
    {
        var errors = FormsTestData.Validate(Schema, """{ "decision": "approve", "approvedBy": "周" }""", Approver, Current()).Errors;

        Assert.That(errors.Select(error => (error.Field, error.Code)), Is.EqualTo(new[] { ("approvedBy", "unknownField") }));
    }

    [Test]
    public void Permissions_naming_an_unknown_field_are_a_definition_bug()
    {
        var permissions = new FormPermissions(new Dictionary<string, FieldPermission> { ["approval"] = FieldPermission.Editable });

        Assert.That(() => FormsTestData.Validate(Schema, "{}", permissions),
            Throws.ArgumentException.With.Message.Contains("approval"));
    }

    [Test]
    public void Permissions_read_from_a_definition_in_JSON()
    {
        var permissions = JsonSerializer.Deserialize<FormPermissions>(
            """{ "default": "readOnly", "fields": { "decision": "editable", "internalNote": "hidden" } }""", FormSchemaJson.Options)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(permissions.Default, Is.EqualTo(FieldPermission.ReadOnly));
            Assert.That(permissions.For("decision"), Is.EqualTo(FieldPermission.Editable));
            Assert.That(permissions.For("internalNote"), Is.EqualTo(FieldPermission.Hidden));
            Assert.That(permissions.For("applicant"), Is.EqualTo(FieldPermission.ReadOnly));
            Assert.That(JsonSerializer.Serialize(permissions, FormSchemaJson.Options), Does.Contain("\"default\": \"readOnly\""));
        }
    }

    [Test]
    public void A_table_is_one_field_for_permissions()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "title", "label": "标题", "type": "text" },
            { "key": "rows", "label": "明细", "type": "table", "columns": [ { "key": "name", "label": "名称", "type": "text", "required": true } ] }
            """);
        var current = FormsTestData.Data("""{ "rows": [ { "name": "甲" } ] }""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FormsTestData.Validate(schema, """{ "rows": [ { "name": "乙" } ] }""", FormPermissions.EditableOnly("title"), current).Errors
                .Select(error => (error.Field, error.Code)), Is.EqualTo(new[] { ("rows", "readOnly") }));
            Assert.That(FormsTestData.Validate(schema, """{ "rows": [ { "name": "甲" } ] }""", FormPermissions.EditableOnly("title"), current).Errors,
                Is.Empty);
            Assert.That(FormsTestData.Validate(schema, """{ "rows": [ { "name": "" } ] }""", FormPermissions.EditableOnly("rows"), current).Errors
                .Select(error => error.Field), Is.EqualTo(new[] { "rows[0].name" }));
        }
    }
}
