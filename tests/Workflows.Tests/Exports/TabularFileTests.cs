using System.Text;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Exports;

namespace PdsWorkflow.Workflows.Tests.Exports;

/// <summary>The one CSV and xlsx writer of every export, and its formula-injection guard.</summary>
public sealed class TabularFileTests
{
    private static readonly string[] Headers = ["名称", "数量", "说明"];

    [TestCase("=HYPERLINK(\"http://evil.example/\",\"点击\")")]
    [TestCase("+1+1")]
    [TestCase("-2+3")]
    [TestCase("@SUM(A1:A2)")]
    [TestCase("\t=1")]
    [TestCase("\r=1")]
    [TestCase("   =1+1")]
    [TestCase("  @cmd")]
    public void A_text_cell_a_spreadsheet_would_run_is_written_as_text_in_both_formats(string text)
    {
        IReadOnlyList<object?>[] rows = [["名称一", 3, text]];

        var csv = Lines(TabularFile.Csv(Headers, rows));
        var types = new List<string[]>();
        var sheet = Spreadsheets.ReadSheet(TabularFile.Xlsx("导出", Headers, rows), "导出", types);

        Assert.That(FormulaGuard.Text(text), Is.EqualTo("'" + text));
        Assert.That(csv[1], Does.StartWith("名称一,3,").And.Contain("'" + text.Replace("\"", "\"\"", StringComparison.Ordinal)));
        // XML reads a raw CR as LF; the apostrophe in front is what counts.
        Assert.That(sheet[1], Is.EqualTo(new[] { "名称一", "3", "'" + text.Replace('\r', '\n') }));
        Assert.That(types[1][1], Is.EqualTo("n"), "numbers stay numbers");
        Assert.That(types[1][2], Is.Not.EqualTo("n"));
    }

    [TestCase("普通文本")]
    [TestCase("a=b")]
    [TestCase("电话 0375-1234567")]
    [TestCase("")]
    public void Other_text_is_written_as_it_is(string text)
    {
        Assert.That(FormulaGuard.Text(text), Is.EqualTo(text));
    }

    [Test]
    public void Csv_is_utf8_with_a_byte_order_mark_crlf_and_rfc4180_quoting_and_negative_numbers_stay_numbers()
    {
        IReadOnlyList<object?>[] rows = [["含,逗号", -5, "含\"引号\"\n换行"], [" 前后空格 ", 2.5, null], ["=1", 0L, "x"]];

        var bytes = TabularFile.Csv(Headers, rows);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        Assert.That(bytes.Take(3), Is.EqualTo(Encoding.UTF8.GetPreamble()));
        Assert.That(text, Is.EqualTo("名称,数量,说明\r\n\"含,逗号\",-5,\"含\"\"引号\"\"\n换行\"\r\n\" 前后空格 \",2.5,\r\n'=1,0,x\r\n"));
    }

    [Test]
    public void A_header_is_guarded_too_and_an_empty_table_still_has_its_headers()
    {
        string[] headers = ["=A1", "数量"];

        var sheet = Spreadsheets.ReadSheet(TabularFile.Xlsx("a/b:c*d?e[f]g\\h 超过三十一个字符的工作表名称会被截断到三十一个字符为止的", headers, []),
            "abcdefgh 超过三十一个字符的工作表名称会被截断到三十一");

        Assert.That(sheet[0], Is.EqualTo(new[] { "'=A1", "数量" }));
        Assert.That(Lines(TabularFile.Csv(headers, []))[0], Is.EqualTo("'=A1,数量"));
    }

    private static string[] Lines(byte[] csv) => Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}
