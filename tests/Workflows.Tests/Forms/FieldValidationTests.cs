using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class FieldValidationTests
{
    private static readonly FormSchema Schema = FormsTestData.WithFields("""
        { "key": "name", "label": "姓名", "type": "text", "required": true, "minLength": 2, "maxLength": 4 },
        { "key": "note", "label": "备注", "type": "textarea" },
        { "key": "code", "label": "系统代码", "type": "text", "pattern": "[A-Z]{2}[0-9]{3}", "patternMessage": "{label}应为2个大写字母加3位数字" },
        { "key": "amount", "label": "金额", "type": "number", "min": 0.5, "max": 100 },
        { "key": "count", "label": "次数", "type": "integer", "min": 1, "max": 1095 },
        { "key": "day", "label": "日期", "type": "date" },
        { "key": "at", "label": "时间", "type": "datetime" },
        { "key": "level", "label": "层级", "type": "select", "options": [ { "value": 1, "label": "市级" }, { "value": 2, "label": "县级" } ] },
        { "key": "kind", "label": "类别", "type": "select", "options": [ { "value": "table", "label": "库表" }, { "value": "file", "label": "文件" } ] },
        { "key": "tags", "label": "标签", "type": "multiselect", "minItems": 1, "maxItems": 2,
          "options": [ { "value": "a", "label": "甲" }, { "value": "b", "label": "乙" }, { "value": "c", "label": "丙" } ] },
        { "key": "agree", "label": "同意条款", "type": "checkbox", "required": true },
        { "key": "flag", "label": "是否加急", "type": "checkbox" },
        { "key": "mail", "label": "邮箱", "type": "email" },
        { "key": "phone", "label": "电话", "type": "phone" },
        { "key": "scan", "label": "扫描件", "type": "file", "accept": ["pdf", "png"] },
        { "key": "items", "label": "信息项", "type": "table", "maxItems": 3, "columns": [
            { "key": "name", "label": "名称", "type": "text", "required": true },
            { "key": "type", "label": "数据类型", "type": "select", "required": true, "options": [ { "value": "C", "label": "字符型 C" }, { "value": "N", "label": "数值型 N" } ] },
            { "key": "length", "label": "数据长度", "type": "integer", "min": 1 } ] }
        """);

    private static JsonObject Valid() => FormsTestData.Data("""{ "name": "赵一鸣", "agree": true }""");

    [Test]
    public void A_minimal_valid_submission_passes()
    {
        var result = FormValidator.Default.Validate(Schema, Valid());

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Strings_are_trimmed_and_textarea_line_ends_normalised()
    {
        var data = Valid();
        data["name"] = "  赵一鸣 \t";
        data["note"] = "\r\n 第一行\r\n第二行  \r\n";

        var result = FormValidator.Default.Validate(Schema, data);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Data["name"]!.GetValue<string>(), Is.EqualTo("赵一鸣"));
            Assert.That(result.Data["note"]!.GetValue<string>(), Is.EqualTo("第一行\n第二行"));
            Assert.That(data["name"]!.GetValue<string>(), Is.EqualTo("  赵一鸣 \t"), "the input is not changed");
        }
    }

    [TestCase("""{ "agree": true }""", TestName = "Missing")]
    [TestCase("""{ "name": null, "agree": true }""", TestName = "Null")]
    [TestCase("""{ "name": "  　 ", "agree": true }""", TestName = "Only spaces, full-width too")]
    public void A_required_field_must_be_filled(string json)
    {
        var result = FormsTestData.Validate(Schema, json);

        Assert.That(result.Errors, Is.EqualTo(new[] { new FormError("name", "required", "姓名为必填项") }));
    }

    [Test]
    public void Empty_optional_values_are_left_out_of_the_data()
    {
        var result = FormsTestData.Validate(Schema, """{ "name": "赵一鸣", "agree": true, "note": "  ", "tags": null, "items": [] }""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Has.None.Matches<FormError>(error => error.Field != "tags"));
            Assert.That(result.Data.Select(entry => entry.Key), Is.EquivalentTo(new[] { "name", "agree" }));
        }
    }

    [Test]
    public void Unknown_fields_are_refused()
    {
        var result = FormsTestData.Validate(Schema, """{ "name": "赵一鸣", "agree": true, "nickname": "小赵" }""");

        Assert.That(result.Errors, Is.EqualTo(new[] { new FormError("nickname", "unknownField", "表单中没有“nickname”这一项") }));
    }

    [TestCase("赵", "minLength", "姓名至少2个字符")]
    [TestCase("欧阳思远明", "maxLength", "姓名不能超过4个字符（当前5个）")]
    public void Text_length_is_checked(string name, string code, string message)
    {
        var data = Valid();
        data["name"] = name;

        Assert.That(FormValidator.Default.Validate(Schema, data).Errors, Is.EqualTo(new[] { new FormError("name", code, message) }));
    }

    /// <summary>A text field without its own maxLength is limited by its type's default (issue #9): nothing is unbounded.</summary>
    [TestCase("note", FormField.DefaultTextareaMaxLength, "备注")]
    [TestCase("code", FormField.DefaultTextMaxLength, "系统代码")]
    [TestCase("items", FormField.DefaultTextMaxLength, "信息项第1行的名称")]
    public void A_text_field_without_maxLength_takes_its_types_default(string key, int limit, string label)
    {
        JsonNode Value(int length) => key == "items"
            ? new JsonArray(new JsonObject { ["name"] = new string('长', length), ["type"] = "C" })
            : JsonValue.Create(new string('长', length));
        var field = key == "items" ? "items[0].name" : key;
        var atLimit = Valid();
        atLimit[key] = Value(limit);
        var over = Valid();
        over[key] = Value(limit + 1);

        var refused = FormValidator.Default.Validate(Schema, over).Errors;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FormValidator.Default.Validate(Schema, atLimit).Errors.Where(e => e.Code == "maxLength"), Is.Empty);
            Assert.That(refused.Where(e => e.Field == field).Select(e => (e.Code, e.Message)),
                Is.EqualTo(new[] { ("maxLength", $"{label}不能超过{limit}个字符（当前{limit + 1}个）") }));
        }
    }

    [Test]
    public void Text_length_counts_code_points_not_UTF16_units()
    {
        var data = Valid();
        data["name"] = "𠀀𠀁𠀂𠀃";

        Assert.That(FormValidator.Default.Validate(Schema, data).Errors, Is.Empty);
    }

    [TestCase("AB123", true)]
    [TestCase("ab123", false)]
    [TestCase("XAB123", false)]
    [TestCase("AB1234", false)]
    public void Patterns_match_the_whole_value(string code, bool valid)
    {
        var data = Valid();
        data["code"] = code;

        var errors = FormValidator.Default.Validate(Schema, data).Errors;

        Assert.That(errors, valid ? Is.Empty : Is.EqualTo(new[] { new FormError("code", "pattern", "系统代码应为2个大写字母加3位数字") }));
    }

    [TestCase("12.5", 12.5)]
    [TestCase(" 100 ", 100)]
    public void Numbers_accept_numeric_strings_and_become_numbers(string text, decimal expected)
    {
        var data = Valid();
        data["amount"] = text;

        var result = FormValidator.Default.Validate(Schema, data);

        Assert.That(result.Data["amount"]!.GetValue<decimal>(), Is.EqualTo(expected));
    }

    [TestCase("""{ "amount": "十二" }""", "amount", "type", "金额应为数字")]
    [TestCase("""{ "amount": true }""", "amount", "type", "金额应为数字")]
    [TestCase("""{ "amount": 0.4 }""", "amount", "min", "金额不能小于0.5")]
    [TestCase("""{ "amount": 100.01 }""", "amount", "max", "金额不能大于100")]
    [TestCase("""{ "count": 2.5 }""", "count", "type", "次数应为整数")]
    [TestCase("""{ "count": "3天" }""", "count", "type", "次数应为整数")]
    [TestCase("""{ "count": 0 }""", "count", "min", "次数不能小于1")]
    [TestCase("""{ "count": 1096 }""", "count", "max", "次数不能大于1095")]
    [TestCase("""{ "name": 123 }""", "name", "type", "姓名应为文本")]
    [TestCase("""{ "day": "2025-02-30" }""", "day", "type", "日期应为有效日期，格式为 YYYY-MM-DD")]
    [TestCase("""{ "day": "2025/03/01" }""", "day", "type", "日期应为有效日期，格式为 YYYY-MM-DD")]
    [TestCase("""{ "day": "20250301" }""", "day", "type", "日期应为有效日期，格式为 YYYY-MM-DD")]
    [TestCase("""{ "at": "2025-03-01" }""", "at", "type", "时间应为有效日期时间，格式为 YYYY-MM-DD HH:mm[:ss]")]
    [TestCase("""{ "at": "2025-03-01T25:00" }""", "at", "type", "时间应为有效日期时间，格式为 YYYY-MM-DD HH:mm[:ss]")]
    [TestCase("""{ "level": 3 }""", "level", "option", "层级的值“3”不是可选项")]
    [TestCase("""{ "level": [1] }""", "level", "type", "层级应为单个选项")]
    [TestCase("""{ "kind": "folder" }""", "kind", "option", "类别的值“folder”不是可选项")]
    [TestCase("""{ "tags": "a" }""", "tags", "type", "标签应为选项列表")]
    [TestCase("""{ "tags": ["a", "d"] }""", "tags", "option", "标签的值“d”不是可选项")]
    [TestCase("""{ "tags": ["a", "a"] }""", "tags", "duplicate", "标签中“甲”重复")]
    [TestCase("""{ "tags": ["a", "b", "c"] }""", "tags", "maxItems", "标签最多2项（当前3项）")]
    [TestCase("""{ "flag": "yes" }""", "flag", "type", "是否加急应为是或否")]
    [TestCase("""{ "mail": "zhao@" }""", "mail", "email.invalid", "邮箱不是有效的电子邮箱地址，如 zhangsan@example.gov.cn")]
    [TestCase("""{ "phone": "3456789" }""", "phone", "phone.invalid", "电话应为11位手机号码或带区号的固定电话（如 0375-2345678）")]
    [TestCase("""{ "scan": "申请表.pdf" }""", "scan", "type", "扫描件应为已上传的文件（含 id 与 name）")]
    [TestCase("""{ "scan": { "id": "f1" } }""", "scan", "type", "扫描件应为已上传的文件（含 id 与 name）")]
    [TestCase("""{ "scan": { "id": "f1", "name": "申请表.pdf", "size": -1 } }""", "scan", "type", "扫描件应为已上传的文件（含 id 与 name）")]
    [TestCase("""{ "scan": { "id": "f1", "name": "申请表.pdf", "path": "/tmp/x" } }""", "scan", "type", "扫描件应为已上传的文件（含 id 与 name）")]
    [TestCase("""{ "scan": { "id": "f1", "name": "申请表.docx" } }""", "scan", "fileType", "扫描件的文件类型应为 pdf、png 之一")]
    [TestCase("""{ "items": { "name": "姓名" } }""", "items", "type", "信息项应为表格（行的列表）")]
    public void Values_of_the_wrong_type_or_out_of_range_are_refused(string json, string field, string code, string message)
    {
        var data = FormsTestData.Data(json);
        foreach (var (key, value) in Valid().Where(entry => !data.ContainsKey(entry.Key)))
        {
            data[key] = value!.DeepClone();
        }

        var result = FormValidator.Default.Validate(Schema, data);

        Assert.That(result.Errors, Is.EqualTo(new[] { new FormError(field, code, message) }));
    }

    [Test]
    public void Dates_times_choices_and_files_are_normalised()
    {
        var data = Valid();
        data["day"] = " 2025-03-01 ";
        data["at"] = "2025-03-01 09:30";
        data["level"] = "2";
        data["tags"] = new JsonArray("b", "a");
        data["flag"] = false;
        data["phone"] = "139 3750 0001";
        data["mail"] = "Zhao.YiMing@Example.GOV.CN";
        data["scan"] = new JsonObject { ["id"] = " f-1 ", ["name"] = " 申请表.PDF ", ["size"] = 1024, ["contentType"] = "application/pdf" };

        var result = FormValidator.Default.Validate(Schema, data);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Data["day"]!.GetValue<string>(), Is.EqualTo("2025-03-01"));
            Assert.That(result.Data["at"]!.GetValue<string>(), Is.EqualTo("2025-03-01T09:30:00+08:00"));
            Assert.That(result.Data["level"]!.ToJsonString(), Is.EqualTo("2"), "the option's own value, a number");
            Assert.That(result.Data["tags"]!.ToJsonString(), Is.EqualTo("""["b","a"]"""));
            Assert.That(result.Data["flag"]!.GetValue<bool>(), Is.False);
            Assert.That(result.Data["phone"]!.GetValue<string>(), Is.EqualTo("13937500001"));
            Assert.That(result.Data["mail"]!.GetValue<string>(), Is.EqualTo("Zhao.YiMing@example.gov.cn"));
            Assert.That(FormsTestData.Json(result.Data["scan"]),
                Is.EqualTo("""{"id":"f-1","name":"申请表.PDF","size":1024,"contentType":"application/pdf"}"""));
        }
    }

    [TestCase("2025-03-01T09:30:15Z", "2025-03-01T09:30:15+00:00")]
    [TestCase("2025-03-01T09:30-05:00", "2025-03-01T09:30:00-05:00")]
    [TestCase("2025-03-01T09:30:00+08:00", "2025-03-01T09:30:00+08:00")]
    public void Date_times_keep_a_given_offset(string text, string expected)
    {
        var data = Valid();
        data["at"] = text;

        Assert.That(FormValidator.Default.Validate(Schema, data).Data["at"]!.GetValue<string>(), Is.EqualTo(expected));
    }

    [TestCase(false)]
    [TestCase(null)]
    public void A_required_checkbox_must_be_ticked(bool? agree)
    {
        var data = Valid();
        data["agree"] = agree;

        var errors = FormValidator.Default.Validate(Schema, data).Errors;

        Assert.That(errors, Is.EqualTo(new[] { agree is null ? new FormError("agree", "required", "同意条款为必填项") : new FormError("agree", "required", "同意条款须勾选") }));
    }

    [Test]
    public void Table_cells_are_validated_with_row_paths_and_labels()
    {
        var data = Valid();
        data["items"] = JsonNode.Parse("""
            [ { "name": " 姓名 ", "type": "C", "length": "20" },
              { "name": "年龄", "type": "N", "length": 0 },
              { "name": "", "type": "X" } ]
            """);

        var result = FormValidator.Default.Validate(Schema, data);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.EqualTo(new[]
            {
                new FormError("items[1].length", "min", "信息项第2行的数据长度不能小于1"),
                new FormError("items[2].name", "required", "信息项第3行的名称为必填项"),
                new FormError("items[2].type", "option", "信息项第3行的数据类型的值“X”不是可选项"),
            }));
            Assert.That(FormsTestData.Json(result.Data["items"]![0]), Is.EqualTo("""{"name":"姓名","type":"C","length":20}"""));
        }
    }

    [Test]
    public void Table_rows_must_be_objects_of_known_columns()
    {
        var data = Valid();
        data["items"] = JsonNode.Parse("""[ "姓名", { "name": "性别", "type": "C", "length": 1, "comment": "x" } ]""");

        var errors = FormValidator.Default.Validate(Schema, data).Errors;

        Assert.That(errors, Is.EqualTo(new[]
        {
            new FormError("items[0]", "type", "信息项第1行应为一行数据"),
            new FormError("items[1].comment", "unknownField", "信息项第2行中没有“comment”这一列"),
        }));
    }

    [Test]
    public void Table_row_counts_are_limited()
    {
        var data = Valid();
        data["items"] = new JsonArray(Enumerable.Range(1, 4).Select(index => (JsonNode?)new JsonObject { ["name"] = $"项{index}", ["type"] = "C" }).ToArray());

        Assert.That(FormValidator.Default.Validate(Schema, data).Errors,
            Is.EqualTo(new[] { new FormError("items", "maxItems", "信息项最多3行（当前4行）") }));
    }

    [Test]
    public void The_initial_data_holds_the_defaults()
    {
        var schema = FormsTestData.WithFields("""
            { "key": "via", "label": "提交方式", "type": "select", "default": "direct", "options": [ { "value": "direct", "label": "直接" } ] },
            { "key": "days", "label": "期限", "type": "integer", "default": 365 },
            { "key": "note", "label": "备注", "type": "text" }
            """);

        Assert.That(schema.CreateInitialData().ToJsonString(), Is.EqualTo("""{"via":"direct","days":365}"""));
    }
}
