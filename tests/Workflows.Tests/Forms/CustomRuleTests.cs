using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class CustomRuleTests
{
    private static readonly FormSchema Windows = FormsTestData.WithFields("""
        { "key": "windows", "label": "使用时段", "type": "table",
          "columns": [ { "key": "start", "label": "开始日期", "type": "date", "required": true }, { "key": "end", "label": "结束日期", "type": "date", "required": true } ] }
        """, """[ { "kind": "custom", "name": "seasonalWindows", "fields": { "windows": "windows" } } ]""");

    private static readonly FormSchema Classified = FormsTestData.WithFields("""
        { "key": "category", "label": "类", "type": "select", "options": [ { "value": "1", "label": "基础" }, { "value": "2", "label": "主题" } ] },
        { "key": "item", "label": "项", "type": "text" },
        { "key": "heading", "label": "目", "type": "text" },
        { "key": "code", "label": "信息资源代码", "type": "text", "format": "resourceCode" }
        """, """
        [ { "kind": "custom", "name": "resourceCodeClassification", "fields": { "code": "code", "category": "category", "item": "item", "heading": "heading" } } ]
        """);

    [TestCase("""[ { "start": "2025-01-01", "end": "2025-05-01" }, { "start": "2025-05-02", "end": "2025-09-01" } ]""", TestName = "Back to back")]
    [TestCase("""[ { "start": "2025-07-01", "end": "2025-09-01" }, { "start": "2025-01-01", "end": "2025-05-01" } ]""", TestName = "Out of order")]
    [TestCase("""[ { "start": "2025-01-01", "end": "2025-01-01" } ]""", TestName = "A single day")]
    [TestCase("""[]""", TestName = "None")]
    public void Separate_windows_pass_without_a_period(string windows)
    {
        Assert.That(FormsTestData.Validate(Windows, $$"""{ "windows": {{windows}} }""").Errors, Is.Empty);
    }

    [TestCase("""[ { "start": "2025-01-01", "end": "2025-05-01" }, { "start": "2025-05-01", "end": "2025-09-01" } ]""", TestName = "Sharing a day")]
    [TestCase("""[ { "start": "2025-03-01", "end": "2025-04-01" }, { "start": "2025-01-01", "end": "2025-12-31" } ]""", TestName = "One inside the other, later row")]
    [TestCase("""[ { "start": "2025-01-01", "end": "2025-12-31" }, { "start": "2025-03-01", "end": "2025-04-01" } ]""", TestName = "One inside the other, earlier row")]
    public void Overlapping_windows_are_reported_on_the_later_row(string windows)
    {
        var errors = FormsTestData.Validate(Windows, $$"""{ "windows": {{windows}} }""").Errors;

        Assert.That(errors, Is.EqualTo(new[]
        {
            new FormError("windows[1].start", "seasonalWindows.overlap", "使用时段第2行与第1行的时段重叠"),
        }));
    }

    [Test]
    public void A_window_with_a_bad_date_is_left_to_its_cell_error()
    {
        var errors = FormsTestData.Validate(Windows, """{ "windows": [ { "start": "2025-01-01", "end": "2025-05-01" }, { "start": "2025-02-30", "end": "2025-03-01" } ] }""").Errors;

        Assert.That(errors.Select(error => (error.Field, error.Code)), Is.EqualTo(new[] { ("windows[1].start", "type") }));
    }

    [TestCase("1", "01", "001", "10100101/0001", true, TestName = "With a subheading the form does not ask for")]
    [TestCase("1", "01", "001", "101001/1", true, TestName = "Without a subheading")]
    [TestCase("2", "01", "001", "10100101/0001", false, TestName = "Other category")]
    [TestCase("1", "02", "001", "10100101/0001", false, TestName = "Other item")]
    [TestCase("1", "01", "002", "10100101/0001", false, TestName = "Other heading")]
    public void The_code_starts_with_the_classification(string category, string item, string heading, string code, bool valid)
    {
        var errors = FormsTestData.Validate(Classified,
            $$"""{ "category": "{{category}}", "item": "{{item}}", "heading": "{{heading}}", "code": "{{code}}" }""").Errors;

        Assert.That(errors.Select(error => error.Code), valid ? Is.Empty : Is.EqualTo(new[] { "resourceCode.classificationMismatch" }));
    }

    [Test]
    public void The_classification_rule_waits_for_all_levels()
    {
        Assert.That(FormsTestData.Validate(Classified, """{ "category": "2", "code": "10100101/0001" }""").Errors, Is.Empty);
    }
}
