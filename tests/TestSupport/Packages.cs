using System.IO.Compression;

namespace PdsWorkflow.Tests.Support;

/// <summary>Zip packages for upload tests: an OOXML or OFD file is a zip whose part names tell what it is.</summary>
public static class Packages
{
    /// <summary>A zip with one small part per name, e.g. "[Content_Types].xml", "word/document.xml" for a docx.</summary>
    public static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in entries)
            {
                using var stream = zip.CreateEntry(entry).Open();
                stream.Write("<x/>"u8);
            }

        return buffer.ToArray();
    }
}
