using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace PdsWorkflow.Activities.Interfaces.Statistics;

/// <summary>
/// A table as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese; RFC 4180 quoting) or as an .xlsx
/// workbook of one sheet, written with System.IO.Compression: no spreadsheet package restores here (ClosedXML's
/// dependencies are missing; DocumentFormat.OpenXml only with a version warning). Numbers are numeric cells; text is
/// inline strings. A text cell that a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe in
/// the CSV (formula injection, OWASP).
/// </summary>
public static class TabularExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Csv(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendJoin(',', headers.Select(h => Quote(h))).Append("\r\n");
        foreach (var row in rows) text.AppendJoin(',', row.Select(CsvCell)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(string sheetName, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """);
            Part(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Part(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """);
            Part(zip, "xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>
                """);
            Write(zip, "xl/workbook.xml", xml =>
            {
                xml.WriteStartElement("workbook", Main);
                xml.WriteAttributeString("xmlns", "r", null, Relationships);
                xml.WriteStartElement("sheets", Main);
                xml.WriteStartElement("sheet", Main);
                xml.WriteAttributeString("name", SheetName(sheetName));
                xml.WriteAttributeString("sheetId", "1");
                xml.WriteAttributeString("id", Relationships, "rId1");
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            });
            Write(zip, "xl/worksheets/sheet1.xml", xml =>
            {
                xml.WriteStartElement("worksheet", Main);
                xml.WriteStartElement("sheetData", Main);
                Row(xml, 1, headers.Cast<object?>().ToList(), header: true);
                for (var i = 0; i < rows.Count; i++) Row(xml, i + 2, rows[i], header: false);
                xml.WriteEndElement();
                xml.WriteEndElement();
            });
        }

        return buffer.ToArray();
    }

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private static void Row(XmlWriter xml, int number, IReadOnlyList<object?> cells, bool header)
    {
        xml.WriteStartElement("row", Main);
        xml.WriteAttributeString("r", number.ToString(CultureInfo.InvariantCulture));
        for (var c = 0; c < cells.Count; c++)
        {
            var value = cells[c];
            if (value is null) continue;
            xml.WriteStartElement("c", Main);
            xml.WriteAttributeString("r", Column(c) + number.ToString(CultureInfo.InvariantCulture));
            if (header) xml.WriteAttributeString("s", "1");
            if (Number(value) is { } numeric)
            {
                xml.WriteElementString("v", Main, numeric);
            }
            else
            {
                xml.WriteAttributeString("t", "inlineStr");
                xml.WriteStartElement("is", Main);
                xml.WriteStartElement("t", Main);
                xml.WriteAttributeString("xml", "space", null, "preserve");
                xml.WriteString(Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>A, B, … Z, AA, AB…</summary>
    internal static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    private static string? Number(object value) => value switch
    {
        int or long or short or byte => Convert.ToString(value, CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>XML 1.0 cannot carry most control characters.</summary>
    private static string Clean(string text) => new(text.Where(c => c is '\t' or '\n' or '\r' || !char.IsControl(c)).ToArray());

    /// <summary>At most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Where(c => ":\\/?*[]".IndexOf(c, StringComparison.Ordinal) < 0).ToArray()).Trim();
        if (clean.Length == 0) clean = "Sheet1";
        return clean.Length > 31 ? clean[..31] : clean;
    }

    private static void Part(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(Encoding.UTF8.GetBytes(content.Trim()));
    }

    private static void Write(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }

    private static string CsvCell(object? value) => value switch
    {
        null => "",
        _ when Number(value) is { } number => number,
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", guardFormula: true),
    };

    private static string Quote(string text, bool guardFormula = false)
    {
        if (guardFormula && text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 || text.StartsWith(' ') || text.EndsWith(' ')
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }
}
