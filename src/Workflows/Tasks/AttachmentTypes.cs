using System.IO.Compression;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>What an uploaded file's bytes say it is, and how it is served back.</summary>
/// <param name="Kind">pdf, ofd, png, jpeg, gif, bmp, tiff, ole2 (doc, xls, ppt, wps, et), docx, xlsx, pptx, zip or text.</param>
public sealed record DetectedType(string Kind);

/// <summary>
/// Upload checking by content (magic numbers), not by the uploader's Content-Type: each allowed extension names the kind
/// of bytes it must hold, and the file is served with the type of its extension once the bytes agreed with it. The
/// Office Open XML and OFD (GB/T 33190) formats are zip packages told apart by their parts; the legacy Office and WPS
/// formats (doc, xls, ppt, wps, et) are OLE2 compound files; text formats must hold no binary control bytes.
/// </summary>
public static class AttachmentTypes
{
    private sealed record Format(string Kind, string ContentType, bool Inline);

    private static readonly Dictionary<string, Format> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = new("pdf", "application/pdf", Inline: true),
        [".ofd"] = new("ofd", "application/ofd", Inline: false),
        [".png"] = new("png", "image/png", Inline: true),
        [".jpg"] = new("jpeg", "image/jpeg", Inline: true),
        [".jpeg"] = new("jpeg", "image/jpeg", Inline: true),
        [".gif"] = new("gif", "image/gif", Inline: true),
        [".bmp"] = new("bmp", "image/bmp", Inline: true),
        [".tif"] = new("tiff", "image/tiff", Inline: false),
        [".tiff"] = new("tiff", "image/tiff", Inline: false),
        [".doc"] = new("ole2", "application/msword", Inline: false),
        [".xls"] = new("ole2", "application/vnd.ms-excel", Inline: false),
        [".ppt"] = new("ole2", "application/vnd.ms-powerpoint", Inline: false),
        [".wps"] = new("ole2", "application/vnd.ms-works", Inline: false),
        [".et"] = new("ole2", "application/vnd.ms-excel", Inline: false),
        [".docx"] = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Inline: false),
        [".xlsx"] = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Inline: false),
        [".pptx"] = new("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", Inline: false),
        [".zip"] = new("zip", "application/zip", Inline: false),
        [".txt"] = new("text", "text/plain", Inline: false),
        [".csv"] = new("text", "text/csv", Inline: false),
        [".xml"] = new("text", "application/xml", Inline: false),
        [".html"] = new("text", "text/html", Inline: false),
    };

    private static readonly string[] ZipKinds = ["zip", "docx", "xlsx", "pptx", "ofd"];

    /// <summary>The extensions whose content can be checked; an allowed extension outside them cannot be accepted.</summary>
    public static IReadOnlyCollection<string> KnownExtensions => ByExtension.Keys;

    /// <summary>The kind of bytes in <paramref name="file"/> (read from the start; zip packages by their parts), or null.</summary>
    public static DetectedType? Detect(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        Span<byte> head = stackalloc byte[8];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        if (read == 0) return null;
        if (head.StartsWith("%PDF-"u8)) return new("pdf");
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return new("png");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return new("jpeg");
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return new("gif");
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return new("tiff");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return new("ole2");
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            stream.Position = 0;
            return Package(stream);
        }

        if (head.StartsWith("BM"u8) && read >= 6 && BitConverter.ToUInt32(head[2..6]) == stream.Length) return new("bmp");
        stream.Position = 0;
        return IsText(stream) ? new("text") : null;
    }

    /// <summary>Whether the bytes agree with the file name's extension.</summary>
    public static bool Agree(string fileName, DetectedType? detected)
    {
        if (detected is null || !ByExtension.TryGetValue(Path.GetExtension(fileName), out var format)) return false;
        return format.Kind == detected.Kind || (format.Kind == "zip" && ZipKinds.Contains(detected.Kind));
    }

    /// <summary>The type a checked upload is stored and served with: its extension's.</summary>
    public static string ContentTypeOf(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var format) ? format.ContentType : "application/octet-stream";

    /// <summary>
    /// How a stored attachment is served: the type recorded when it was checked, if it is the one its extension has (a
    /// file stored before the checks may carry the uploader's type: it is then served as octet-stream), and inline only
    /// for PDF and images, which a browser shows without running anything of the file.
    /// </summary>
    public static (string ContentType, bool Inline) Serving(string fileName, string storedType)
    {
        if (!ByExtension.TryGetValue(Path.GetExtension(fileName), out var format) ||
            !string.Equals(format.ContentType, storedType, StringComparison.OrdinalIgnoreCase))
            return ("application/octet-stream", false);
        return (format.ContentType, format.Inline);
    }

    /// <summary>A zip package: OFD (OFD.xml at the root), docx, xlsx or pptx (their main part and [Content_Types].xml), else a plain zip.</summary>
    private static DetectedType? Package(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (names.Contains("OFD.xml")) return new("ofd");
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml")) return new("docx");
                if (names.Contains("xl/workbook.xml")) return new("xlsx");
                if (names.Contains("ppt/presentation.xml")) return new("pptx");
            }

            return new("zip");
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// Text in any of the encodings Chinese offices use (UTF-8, GB 18030, or UTF-16 with its byte-order mark): no NUL and
    /// no control byte other than tab, line breaks, form feed and the DOS end-of-file mark.
    /// </summary>
    private static bool IsText(Stream stream)
    {
        var buffer = new byte[81920];
        var first = true;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            if (first && (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))) return true;
            first = false;
            foreach (var b in span)
                if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1A or 0x1B)) return false;
        }

        return true;
    }
}
