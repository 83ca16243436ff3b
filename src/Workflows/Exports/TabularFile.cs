using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace PdsWorkflow.Workflows.Exports;

/// <summary>
/// The one writer of every table the product exports (the audit record, the exchange statistics, any later list): CSV
/// through CsvHelper (UTF-8 with a byte-order mark so that Excel reads the Chinese, RFC 4180 quoting, CRLF) and xlsx
/// through MiniExcel, one sheet with the headers in the first row. Numbers stay numbers; every other cell is text and
/// passes <see cref="FormulaGuard"/> first, in both formats (an xlsx text cell is not run as a formula, but a user who
/// edits it or saves the sheet as CSV would run it).
/// </summary>
public static class TabularFile
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly CsvWriterOptions CsvSettings = CsvWriterOptions.Default with
    {
        WriteByteOrderMark = true,
        // The guard is ours (FormulaGuard, which also looks past leading spaces), applied to the text before CsvHelper
        // sees it; CsvHelper's own stays off so that a cell is never escaped twice.
        Injection = CsvInjection.None,
        // CsvHelper quotes a field with a comma, a quote, CR or LF; leading or trailing spaces are kept by quoting too.
        ShouldQuote = (field, _, _, _) => field.Length > 0 && (field[0] == ' ' || field[^1] == ' '),
    };

    /// <summary>The table as CSV bytes.</summary>
    public static byte[] Csv(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvSettings, leaveOpen: true))
        {
            foreach (var header in headers) csv.WriteField(FormulaGuard.Text(header));
            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row) csv.WriteField(Number(cell) ?? FormulaGuard.Text(Text(cell)));
                csv.EndRecord();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The table as an xlsx workbook of one sheet named <paramref name="sheetName"/> (cleaned to what Excel allows).</summary>
    public static byte[] Xlsx(string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var keys = headers.Select(FormulaGuard.Text).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count) throw new ArgumentException("Column headers must differ.", nameof(headers));
        var sheet = rows.Select(row =>
        {
            var cells = new Dictionary<string, object?>(keys.Count, StringComparer.Ordinal);
            for (var c = 0; c < keys.Count; c++) cells[keys[c]] = c < row.Count ? XlsxCell(row[c]) : null;
            return (IDictionary<string, object?>)cells;
        }).ToList();
        using var buffer = new MemoryStream();
        if (sheet.Count == 0) sheet.Add(keys.ToDictionary(k => k, _ => (object?)null, StringComparer.Ordinal));
        MiniExcel.SaveAs(buffer, sheet, printHeader: true, sheetName: SheetName(sheetName), excelType: ExcelType.XLSX);
        return buffer.ToArray();
    }

    private static object? XlsxCell(object? value) => value switch
    {
        null => null,
        int or long or short or byte or decimal => value,
        double d when double.IsFinite(d) => d,
        _ => Clean(FormulaGuard.Text(Text(value))),
    };

    private static string? Number(object? value) => value switch
    {
        int or long or short or byte => Convert.ToString(value, CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>XML 1.0 cannot carry most control characters, nor a lone surrogate.</summary>
    private static string Clean(string text) =>
        text.Any(c => char.IsSurrogate(c) || (char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
            ? new string(text.EnumerateRunes().Where(r => !Rune.IsControl(r) || r.Value is '\t' or '\n' or '\r').SelectMany(r => r.ToString()).ToArray())
            : text;

    /// <summary>At most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string((name ?? "").Where(c => ":\\/?*[]".IndexOf(c, StringComparison.Ordinal) < 0).ToArray()).Trim();
        if (clean.Length == 0) clean = "Sheet1";
        return clean.Length > 31 ? clean[..31] : clean;
    }
}

/// <summary>
/// Formula injection (CSV injection, OWASP): a spreadsheet program runs a cell whose text starts with = + - @, a tab or a
/// carriage return as a formula, also after leading spaces (<c>  =HYPERLINK(…)</c>). Such a text is prefixed with an
/// apostrophe, which the spreadsheet shows as text. Every export's text cells pass here (<see cref="TabularFile"/>).
/// </summary>
public static class FormulaGuard
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];

    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var first = text.AsSpan().TrimStart(' ');
        return first.Length > 0 && Triggers.Contains(first[0]) ? "'" + text : text;
    }
}
