using System.IO.Compression;
using System.Xml.Linq;
using NUnit.Framework;

namespace PdsWorkflow.Tests.Support;

/// <summary>Reads an exported xlsx back as Excel would find it, without the library that wrote it.</summary>
public static class Spreadsheets
{
    private static readonly XNamespace Types = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>
    /// The first sheet's rows as text (numbers as written), after checking that the package declares the workbook and
    /// the sheet and that the sheet is named <paramref name="sheetName"/>. Every cell is also returned with its type in
    /// <paramref name="types"/> ("n" number, "s"/"str"/"inlineStr" text), and no cell may be a formula.
    /// </summary>
    public static List<string[]> ReadSheet(byte[] xlsx, string sheetName, List<string[]>? types = null)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        var contentTypes = Load(zip, "[Content_Types].xml");
        var workbook = Load(zip, "xl/workbook.xml");
        var sheetElement = workbook.Descendants(Main + "sheet").First();
        Assert.That(sheetElement.Attribute("name")!.Value, Is.EqualTo(sheetName));
        var relationId = sheetElement.Attribute(Relationships + "id")!.Value;
        var target = Load(zip, "xl/_rels/workbook.xml.rels").Descendants(PackageRelationships + "Relationship")
            .Single(r => r.Attribute("Id")!.Value == relationId).Attribute("Target")!.Value.TrimStart('/');
        var sheetPath = target.StartsWith("xl/", StringComparison.Ordinal) ? target : "xl/" + target;
        Assert.That(contentTypes.Root!.Elements(Types + "Override").Select(o => o.Attribute("PartName")!.Value), Does.Contain("/" + sheetPath));

        var shared = zip.GetEntry("xl/sharedStrings.xml") is null
            ? []
            : Load(zip, "xl/sharedStrings.xml").Root!.Elements(Main + "si").Select(si => string.Concat(si.Descendants(Main + "t").Select(t => t.Value))).ToList();
        var sheet = Load(zip, sheetPath);
        Assert.That(sheet.Descendants(Main + "f"), Is.Empty, "no cell of an export is a formula");
        var rows = new List<string[]>();
        foreach (var row in sheet.Descendants(Main + "row"))
        {
            // A cell is placed by its reference (B2): writers leave empty cells out.
            var cells = row.Elements(Main + "c").ToDictionary(c => Column(c.Attribute("r")!.Value));
            var width = cells.Count == 0 ? 0 : cells.Keys.Max() + 1;
            rows.Add(Enumerable.Range(0, width).Select(i => cells.TryGetValue(i, out var c) ? c.Attribute("t")?.Value switch
            {
                "inlineStr" => string.Concat(c.Descendants(Main + "t").Select(t => t.Value)),
                "s" => shared[int.Parse(c.Element(Main + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture)],
                _ => c.Element(Main + "v")?.Value ?? "",
            } : "").ToArray());
            types?.Add(Enumerable.Range(0, width).Select(i => cells.TryGetValue(i, out var c) ? c.Attribute("t")?.Value ?? "n" : "").ToArray());
        }

        return rows;
    }

    /// <summary>The 0-based column of a cell reference: A1 → 0, AB7 → 27.</summary>
    private static int Column(string reference)
    {
        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter)) column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        return column - 1;
    }

    private static XDocument Load(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);
        Assert.That(entry, Is.Not.Null, $"the package has {name}");
        using var stream = entry!.Open();
        return XDocument.Load(stream);
    }
}
