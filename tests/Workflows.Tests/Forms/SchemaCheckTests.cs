using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class SchemaCheckTests
{
    private static IReadOnlyList<FormSchemaError> Check(string fieldsJson, string rulesJson = "[]", string id = "test-form")
    {
        var parsed = FormSchemaJson.Parse($$"""
            { "id": "{{id}}", "version": 1, "title": "测试表单",
              "sections": [ { "key": "main", "title": "主要信息", "fields": [ {{fieldsJson}} ] } ], "rules": {{rulesJson}} }
            """, "test-form.json");
        Assert.That(parsed.Errors, Is.Empty);
        return ShippedData.Validator.CheckSchema(parsed.Schema!, "test-form.json");
    }

    private const string Select = """
        { "key": "shareType", "label": "共享类型", "type": "select",
          "options": [ { "value": 1, "label": "无条件共享" }, { "value": 2, "label": "有条件共享" } ] },
        { "key": "condition", "label": "共享条件", "type": "text" }
        """;

    [TestCase("""{ "key": "a", "label": "甲", "type": "text" }, { "key": "a", "label": "乙", "type": "text" }""", "字段键“a”重复", TestName = "Duplicate keys")]
    [TestCase("""{ "key": "items[0]", "label": "甲", "type": "text" }""", "应以字母开头", TestName = "Key with brackets")]
    [TestCase("""{ "key": "a", "label": " ", "type": "text" }""", "label", TestName = "Empty label")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "select" }""", "须有选项", TestName = "Select without options")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "select", "options": [ { "value": "x", "label": "一" }, { "value": "x", "label": "二" } ] }""", "选项值“x”重复", TestName = "Duplicate option values")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "select", "options": [ { "value": 1, "label": "一" }, { "value": "1", "label": "二" } ] }""", "选项值“1”重复", TestName = "Option 1 and option \"1\"")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "options": [ { "value": "x", "label": "一" } ] }""", "options 只适用于", TestName = "Options on text")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "format": "idCard" }""", "未知的格式校验器“idCard”", TestName = "Unknown format")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "integer", "format": "uscc" }""", "format 只适用于文本字段", TestName = "Format on a number")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "pattern": "[0-9", "patternMessage": "x" }""", "不是有效的 ECMAScript 正则表达式", TestName = "Pattern that does not compile")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "pattern": "(?>a)b", "patternMessage": "x" }""", "pattern 中的“(?>”是 .NET 特有写法", TestName = "Atomic group")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "pattern": "(?i)abc", "patternMessage": "x" }""", "“(?i”是 .NET 特有写法", TestName = "Inline option")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "pattern": "\\p{L}+", "patternMessage": "x" }""", "“\\p”是 .NET 特有写法", TestName = "Unicode category")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "pattern": "[0-9]+" }""", "patternMessage", TestName = "Pattern without its message")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "text", "minLength": 5, "maxLength": 2 }""", "minLength/maxLength 取值无效", TestName = "Min length over max")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "integer", "min": 10, "max": 1 }""", "min 大于 max", TestName = "Min over max")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "table" }""", "表格须有列", TestName = "Table without columns")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "table", "columns": [ { "key": "b", "label": "乙", "type": "table", "columns": [ { "key": "c", "label": "丙", "type": "text" } ] } ] }""", "表格的列不能是表格", TestName = "Nested table")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "file", "accept": [".PDF"] }""", "accept", TestName = "Accept with a dot")]
    [TestCase("""{ "key": "a", "label": "甲", "type": "integer", "max": 10, "default": 11 }""", "默认值无效：甲不能大于10", TestName = "Invalid default")]
    public void Field_problems_are_found(string fields, string message)
    {
        Assert.That(Check(fields).Select(error => error.Message), Has.Some.Contains(message));
    }

    [TestCase("""[ { "kind": "requiredWhen", "field": "missing", "when": { "field": "shareType", "equals": 2 } } ]""", "规则引用了表单中不存在的字段“missing”", TestName = "Unknown field")]
    [TestCase("""[ { "kind": "requiredWhen", "field": "condition", "when": { "field": "shareType", "equals": "2" } } ]""", "值“2”不是字段“共享类型”的选项（注意数字与字符串的区别）", TestName = "String where the option is a number")]
    [TestCase("""[ { "kind": "requiredWhen", "field": "condition", "when": { "field": "shareType", "equals": 2, "in": [1] } } ]""", "恰好给出", TestName = "Two tests in a condition")]
    [TestCase("""[ { "kind": "requiredWhen", "field": "condition", "when": { "field": "shareType" } } ]""", "恰好给出", TestName = "No test in a condition")]
    [TestCase("""[ { "kind": "allowedWhen", "field": "shareType", "values": [3], "when": { "field": "condition", "filled": true } } ]""", "值“3”不是字段“共享类型”的选项", TestName = "Allowed value not an option")]
    [TestCase("""[ { "kind": "compare", "left": "condition", "operator": "lt", "right": "shareType" } ]""", "大小比较只适用于", TestName = "Ordering text")]
    [TestCase("""[ { "kind": "dateRange", "start": "condition", "end": "shareType" } ]""", "dateRange", TestName = "Date range over non-dates")]
    [TestCase("""[ { "kind": "unique", "table": "condition", "columns": ["x"] } ]""", "unique 须在表单级规则中引用一个表格字段", TestName = "Unique over a non-table")]
    [TestCase("""[ { "kind": "custom", "name": "noSuchRule", "fields": {} } ]""", "未知的自定义规则“noSuchRule”", TestName = "Unknown custom rule")]
    [TestCase("""[ { "kind": "custom", "name": "seasonalWindows", "fields": { "periodStart": "condition" } } ]""", "须绑定角色“windows”", TestName = "Custom rule missing a role")]
    [TestCase("""[ { "kind": "custom", "name": "seasonalWindows", "fields": { "windows": "condition" } } ]""", "windows 须是含日期列 start 与 end 的表格", TestName = "Custom rule bound to the wrong type")]
    [TestCase("""[ { "kind": "custom", "name": "seasonalWindows", "fields": { "windows": "condition", "extra": "shareType" } } ]""", "没有角色“extra”", TestName = "Custom rule with an unknown role")]
    public void Rule_problems_are_found(string rules, string message)
    {
        Assert.That(Check(Select, rules).Select(error => error.Message), Has.Some.Contains(message));
    }

    [Test]
    public void Row_rules_can_name_only_their_table_columns()
    {
        var errors = Check("""
            { "key": "top", "label": "表外字段", "type": "text" },
            { "key": "items", "label": "信息项", "type": "table", "columns": [ { "key": "name", "label": "名称", "type": "text" } ],
              "rules": [ { "kind": "requiredWhen", "field": "name", "when": { "field": "top", "filled": true } } ] }
            """);

        Assert.That(errors, Is.EqualTo(new[] { new FormSchemaError("test-form.json", "items.rules[0]", "规则引用了本表格中不存在的字段“top”") }));
    }

    [TestCase("Bad_ID")]
    [TestCase("1form")]
    [TestCase("form--x")]
    public void Ids_are_lower_case_words(string id)
    {
        Assert.That(Check("""{ "key": "a", "label": "甲", "type": "text" }""", id: id).Select(error => error.Path), Has.Member("id"));
    }

    [TestCase("""{ "id": "x", "version": 1, "title": "t", "sections": [], "colour": "red" }""", "colour", TestName = "Unknown property")]
    [TestCase("""{ "id": "x", "version": 1, "sections": [] }""", "title", TestName = "Missing title")]
    [TestCase("""{ "id": "x", "version": 1, "title": "t", "sections": [ { "key": "s", "title": "s", "fields": [ { "key": "a", "label": "甲", "type": "string" } ] } ] }""", "fields[0].type", TestName = "Unknown field type")]
    [TestCase("""{ "id": "x", "version": 1, "title": "t", "sections": [], "rules": [ { "kind": "regex", "field": "a" } ] }""", "regex", TestName = "Unknown rule kind")]
    [TestCase("""{ "id": "x", "version": 1, "title": null, "sections": [] }""", "title", TestName = "Null title")]
    [TestCase("""{ "id": "x", "version": 1, "title": "t", "sections": [ """, "不是有效的表单定义", TestName = "Truncated JSON")]
    public void Malformed_JSON_comes_back_as_errors(string json, string mentioned)
    {
        var parsed = FormSchemaJson.Parse(json, "broken.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.Schema, Is.Null);
            Assert.That(parsed.Errors, Has.Count.EqualTo(1));
            Assert.That(parsed.Errors[0].Source, Is.EqualTo("broken.json"));
            Assert.That(parsed.Errors[0].ToString(), Does.Contain(mentioned));
        }
    }

    [Test]
    public void Rule_kind_may_come_after_the_other_properties()
    {
        var parsed = FormSchemaJson.Parse("""
            { "id": "x", "version": 1, "title": "t",
              "sections": [ { "key": "s", "title": "s", "fields": [ { "key": "a", "label": "甲", "type": "text" }, { "key": "b", "label": "乙", "type": "text" } ] } ],
              "rules": [ { "field": "a", "when": { "field": "b", "filled": true }, "kind": "requiredWhen" } ] }
            """);

        Assert.That(parsed.Schema!.Rules.Single(), Is.TypeOf<RequiredWhenRule>());
    }

    [Test]
    public void Shipped_schemas_round_trip_through_JSON()
    {
        foreach (var schema in FormsTestData.Registry.Latest)
        {
            var json = FormSchemaJson.Serialize(schema);
            var reparsed = FormSchemaJson.Parse(json);

            Assert.That(reparsed.Errors, Is.Empty, schema.Id);
            Assert.That(FormSchemaJson.Serialize(reparsed.Schema!), Is.EqualTo(json), schema.Id);
            Assert.That(json, Does.Contain(schema.Title).And.Not.Contains("\\u"), "Chinese is written as is");
        }
    }

    [Test]
    public void Folder_loading_reports_each_bad_file_and_duplicate_versions()
    {
        var folder = Directory.CreateTempSubdirectory("forms-");
        try
        {
            const string form = """
                { "id": "dup", "version": 1, "title": "重复", "sections": [ { "key": "s", "title": "s", "fields": [ { "key": "a", "label": "甲", "type": "text" } ] } ] }
                """;
            File.WriteAllText(Path.Combine(folder.FullName, "a.json"), form);
            File.WriteAllText(Path.Combine(folder.FullName, "b.json"), form);
            File.WriteAllText(Path.Combine(folder.FullName, "c.json"), "{ not json");
            File.WriteAllText(Path.Combine(folder.FullName, "d.json"), form.Replace("\"dup\"", "\"bad\"", StringComparison.Ordinal)
                .Replace("\"text\"", "\"select\"", StringComparison.Ordinal));

            var loaded = FormSchemaFolder.Load(folder.FullName, ShippedData.Validator);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(loaded.Schemas.Select(schema => schema.Id), Is.EqualTo(new[] { "dup" }));
                Assert.That(loaded.Errors.Select(error => error.Source), Is.EqualTo(new[] { "b.json", "c.json", "d.json" }));
                Assert.That(loaded.Errors[0].Message, Does.Contain("已在 a.json 中定义"));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void A_missing_folder_is_an_error()
    {
        var loaded = FormSchemaFolder.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), ShippedData.Validator);

        Assert.That(loaded.Errors.Single().Message, Is.EqualTo("找不到表单定义目录"));
    }
}
