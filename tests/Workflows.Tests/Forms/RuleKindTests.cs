using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

/// <summary>Each declarative rule kind, valid and invalid; the TypeScript client implements the same set.</summary>
public sealed class RuleKindTests
{
    private const string RequestFields = """
        { "key": "requestType", "label": "申请类型", "type": "select", "required": true,
          "options": [ { "value": "new", "label": "账号申请" }, { "value": "reset", "label": "密码重置" }, { "value": "other", "label": "其他" } ] },
        { "key": "existingAccount", "label": "原有账号名称", "type": "text" },
        { "key": "otherRequest", "label": "其他申请事项", "type": "text" }
        """;

    [TestCase("""{ "requestType": "reset", "existingAccount": "pds_minzheng" }""", true)]
    [TestCase("""{ "requestType": "new" }""", true)]
    [TestCase("""{ "requestType": "reset" }""", false)]
    [TestCase("""{ "requestType": "reset", "existingAccount": "   " }""", false)]
    public void RequiredWhen_equals(string json, bool valid)
    {
        var schema = FormsTestData.WithFields(RequestFields,
            """[ { "kind": "requiredWhen", "field": "existingAccount", "when": { "field": "requestType", "equals": "reset" } } ]""");

        var errors = FormsTestData.Validate(schema, json).Errors;

        Assert.That(errors, valid ? Is.Empty
            : Is.EqualTo(new[] { new FormError("existingAccount", "requiredWhen", "申请类型为“密码重置”时，原有账号名称为必填项") }));
    }

    [TestCase("""{ "requestType": "other", "otherRequest": "开通下载权限" }""", true)]
    [TestCase("""{ "requestType": "new" }""", true)]
    [TestCase("""{ "requestType": "reset" }""", false)]
    public void RequiredWhen_in(string json, bool valid)
    {
        var schema = FormsTestData.WithFields(RequestFields,
            """[ { "kind": "requiredWhen", "field": "otherRequest", "when": { "field": "requestType", "in": ["reset", "other"] } } ]""");

        var errors = FormsTestData.Validate(schema, json).Errors;

        Assert.That(errors, valid ? Is.Empty
            : Is.EqualTo(new[] { new FormError("otherRequest", "requiredWhen", "申请类型为“密码重置”或“其他”时，其他申请事项为必填项") }));
    }

    [TestCase("""{ "requestType": "new", "existingAccount": "pds_old" }""", "requiredWhen", "已填写原有账号名称时，其他申请事项为必填项")]
    [TestCase("""{ "requestType": "new" }""", null, null)]
    [TestCase("""{ "requestType": "new", "existingAccount": "pds_old", "otherRequest": "改名" }""", null, null)]
    public void RequiredWhen_filled(string json, string? code, string? message)
    {
        var schema = FormsTestData.WithFields(RequestFields,
            """[ { "kind": "requiredWhen", "field": "otherRequest", "when": { "field": "existingAccount", "filled": true } } ]""");

        var errors = FormsTestData.Validate(schema, json).Errors;

        Assert.That(errors, code is null ? Is.Empty : Is.EqualTo(new[] { new FormError("otherRequest", code, message!) }));
    }

    [TestCase("""{ "requestType": "new", "existingAccount": "pds_old" }""", false)]
    [TestCase("""{ "requestType": "new" }""", true)]
    [TestCase("""{ "requestType": "reset", "existingAccount": "pds_old" }""", true)]
    public void EmptyWhen(string json, bool valid)
    {
        var schema = FormsTestData.WithFields(RequestFields,
            """[ { "kind": "emptyWhen", "field": "existingAccount", "when": { "field": "requestType", "equals": "new" } } ]""");

        var errors = FormsTestData.Validate(schema, json).Errors;

        Assert.That(errors, valid ? Is.Empty
            : Is.EqualTo(new[] { new FormError("existingAccount", "emptyWhen", "申请类型为“账号申请”时，不应填写原有账号名称") }));
    }

    [TestCase("""{ "requestType": "reset", "otherRequest": "无" }""", true)]
    [TestCase("""{ "requestType": "reset" }""", true)]
    [TestCase("""{ "requestType": "new", "otherRequest": "开通权限" }""", true)]
    [TestCase("""{ "requestType": "reset", "otherRequest": "开通权限" }""", false)]
    public void AllowedWhen(string json, bool valid)
    {
        var schema = FormsTestData.WithFields(RequestFields,
            """[ { "kind": "allowedWhen", "field": "otherRequest", "values": ["无"], "when": { "field": "requestType", "notEquals": "new" } } ]""");

        var errors = FormsTestData.Validate(schema, json).Errors;

        Assert.That(errors, valid ? Is.Empty
            : Is.EqualTo(new[] { new FormError("otherRequest", "allowedWhen", "申请类型不为“账号申请”时，其他申请事项只能为“无”") }));
    }

    [TestCase(200, 10000, true)]
    [TestCase(300, 300, true)]
    [TestCase(301, 300, false)]
    [TestCase(null, 300, true)]
    public void Compare_numbers(int? average, int peak, bool valid)
    {
        var schema = FormsTestData.WithFields("""
            { "key": "average", "label": "平均值", "type": "integer", "min": 1 },
            { "key": "peak", "label": "峰值", "type": "integer", "min": 1 }
            """, """[ { "kind": "compare", "left": "average", "operator": "le", "right": "peak" } ]""");
        var data = new JsonObject { ["average"] = average, ["peak"] = peak };

        var errors = FormValidator.Default.Validate(schema, data).Errors;

        Assert.That(errors, valid ? Is.Empty : Is.EqualTo(new[] { new FormError("average", "compare", "平均值应小于或等于峰值") }));
    }

    [TestCase("eq", "2025-03-01", "2025-03-01", true)]
    [TestCase("eq", "2025-03-01", "2025-03-02", false)]
    [TestCase("ne", "2025-03-01", "2025-03-02", true)]
    [TestCase("lt", "2025-03-01", "2025-03-01", false)]
    [TestCase("lt", "2025-02-28", "2025-03-01", true)]
    [TestCase("gt", "2025-03-02", "2025-03-01", true)]
    [TestCase("ge", "2025-02-28", "2025-03-01", false)]
    public void Compare_dates(string op, string left, string right, bool valid)
    {
        var schema = FormsTestData.WithFields("""
            { "key": "a", "label": "甲日期", "type": "date" },
            { "key": "b", "label": "乙日期", "type": "date" }
            """, $$"""[ { "kind": "compare", "left": "a", "operator": "{{op}}", "right": "b" } ]""");

        var errors = FormsTestData.Validate(schema, $$"""{ "a": "{{left}}", "b": "{{right}}" }""").Errors;

        Assert.That(errors.Select(error => error.Code), valid ? Is.Empty : Is.EqualTo(new[] { "compare" }));
    }

    [TestCase("10100101/0001", "10100101/0002", true)]
    [TestCase("10100101/0001", "10100101/0001", false)]
    public void Compare_text_for_difference(string code, string related, bool valid)
    {
        var schema = FormsTestData.WithFields("""
            { "key": "code", "label": "信息资源代码", "type": "text" },
            { "key": "related", "label": "关联资源代码", "type": "text" }
            """, """[ { "kind": "compare", "left": "related", "operator": "ne", "right": "code", "message": "{label}不能与信息资源代码相同" } ]""");

        var errors = FormsTestData.Validate(schema, $$"""{ "code": "{{code}}", "related": "{{related}}" }""").Errors;

        Assert.That(errors, valid ? Is.Empty : Is.EqualTo(new[] { new FormError("related", "compare", "关联资源代码不能与信息资源代码相同") }));
    }

    [TestCase("2025-01-01", "2025-01-20", null, null)]
    [TestCase("2025-05-01", "2025-05-01", null, null)]
    [TestCase("2025-05-02", "2025-05-01", "dateRange", "结束日期不能早于开始日期")]
    [TestCase("2025-01-01", "2025-01-31", null, null)]
    [TestCase("2025-01-01", "2025-02-01", "dateRange.maxDays", "开始日期至结束日期不能超过31天")]
    public void DateRange(string start, string end, string? code, string? message)
    {
        var schema = FormsTestData.WithFields("""
            { "key": "start", "label": "开始日期", "type": "date" },
            { "key": "end", "label": "结束日期", "type": "date" }
            """, """[ { "kind": "dateRange", "start": "start", "end": "end", "maxDays": 31 } ]""");

        var errors = FormsTestData.Validate(schema, $$"""{ "start": "{{start}}", "end": "{{end}}" }""").Errors;

        Assert.That(errors, code is null ? Is.Empty : Is.EqualTo(new[] { new FormError("end", code, message!) }));
    }

    [Test]
    public void DateRange_over_date_times()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "from", "label": "开始时间", "type": "datetime" },
            { "key": "to", "label": "结束时间", "type": "datetime" }
            """, """[ { "kind": "dateRange", "start": "from", "end": "to" } ]""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FormsTestData.Validate(schema, """{ "from": "2025-03-01 09:00", "to": "2025-03-01T01:30:00Z" }""").Errors, Is.Empty,
                "01:30 UTC is 09:30 in Beijing");
            Assert.That(FormsTestData.Validate(schema, """{ "from": "2025-03-01 09:00", "to": "2025-03-01T00:30:00Z" }""").Errors.Select(error => error.Code),
                Is.EqualTo(new[] { "dateRange" }));
        }
    }

    [Test]
    public void Unique_rows_in_a_table()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "items", "label": "信息项", "type": "table", "columns": [
              { "key": "name", "label": "信息项名称", "type": "text", "required": true },
              { "key": "length", "label": "数据长度", "type": "integer", "min": 1 } ] }
            """, """[ { "kind": "unique", "table": "items", "columns": ["name"] } ]""");

        var result = FormsTestData.Validate(schema, """
            { "items": [ { "name": "ZJHM" }, { "name": "xm" }, { "name": " zjhm ", "length": 0 }, { "name": "XM" }, { "name": "csrq" } ] }
            """);

        Assert.That(result.Errors, Is.EqualTo(new[]
        {
            new FormError("items[2].length", "min", "信息项第3行的数据长度不能小于1"),
            new FormError("items[2].name", "unique", "信息项第3行的信息项名称与第1行重复"),
            new FormError("items[3].name", "unique", "信息项第4行的信息项名称与第2行重复"),
        }));
    }

    [Test]
    public void Row_rules_name_their_row()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "items", "label": "信息项", "type": "table", "columns": [
              { "key": "type", "label": "数据类型", "type": "select", "required": true,
                "options": [ { "value": "C", "label": "字符型 C" }, { "value": "N", "label": "数值型 N" }, { "value": "D", "label": "日期型 D" } ] },
              { "key": "length", "label": "数据长度", "type": "integer", "min": 1 },
              { "key": "decimals", "label": "小数位数", "type": "integer", "min": 0 } ],
              "rules": [
                { "kind": "requiredWhen", "field": "length", "when": { "field": "type", "in": ["C", "N"] } },
                { "kind": "emptyWhen", "field": "decimals", "when": { "field": "type", "notIn": ["N"] } },
                { "kind": "compare", "left": "decimals", "operator": "lt", "right": "length" } ] }
            """);

        var result = FormsTestData.Validate(schema, """
            { "items": [ { "type": "C", "length": 50 }, { "type": "N", "length": 10, "decimals": 2 }, { "type": "D" },
                         { "type": "C" }, { "type": "D", "decimals": 0 }, { "type": "N", "length": 4, "decimals": 4 } ] }
            """);

        Assert.That(result.Errors, Is.EqualTo(new[]
        {
            new FormError("items[3].length", "requiredWhen", "数据类型为“字符型 C”或“数值型 N”时，信息项第4行的数据长度为必填项"),
            new FormError("items[4].decimals", "emptyWhen", "数据类型不为“数值型 N”时，不应填写信息项第5行的小数位数"),
            new FormError("items[5].decimals", "compare", "信息项第6行的小数位数应小于信息项第6行的数据长度"),
        }));
    }

    [Test]
    public void A_multiselect_condition_holds_when_the_selection_contains_the_value()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "problems", "label": "问题类型", "type": "multiselect",
              "options": [ { "value": "wrong", "label": "数据错误" }, { "value": "other", "label": "其他" } ] },
            { "key": "otherText", "label": "其他问题说明", "type": "text" }
            """, """[ { "kind": "requiredWhen", "field": "otherText", "when": { "field": "problems", "equals": "other" } } ]""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FormsTestData.Validate(schema, """{ "problems": ["wrong"] }""").Errors, Is.Empty);
            Assert.That(FormsTestData.Validate(schema, """{ "problems": ["wrong", "other"] }""").Errors.Select(error => error.Field),
                Is.EqualTo(new[] { "otherText" }));
        }
    }

    [Test]
    public void Rules_wait_until_their_fields_are_valid()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "average", "label": "平均值", "type": "integer" },
            { "key": "peak", "label": "峰值", "type": "integer" }
            """, """[ { "kind": "compare", "left": "average", "operator": "le", "right": "peak" } ]""");

        var errors = FormsTestData.Validate(schema, """{ "average": 500, "peak": "很多" }""").Errors;

        Assert.That(errors, Is.EqualTo(new[] { new FormError("peak", "type", "峰值应为整数") }));
    }

    [Test]
    public void A_rule_message_replaces_the_default_and_names_the_field()
    {
        var schema = FormsTestData.WithFields(RequestFields,
            """[ { "kind": "requiredWhen", "field": "existingAccount", "when": { "field": "requestType", "equals": "reset" }, "message": "密码重置须写明{label}" } ]""");

        var errors = FormsTestData.Validate(schema, """{ "requestType": "reset" }""").Errors;

        Assert.That(errors, Is.EqualTo(new[] { new FormError("existingAccount", "requiredWhen", "密码重置须写明原有账号名称") }));
    }
}
