using System.Text;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>Uploads are judged by their bytes: each format's magic number or package parts, against the file's extension.</summary>
public sealed class AttachmentTypeTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "sniff", Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    public static IEnumerable<TestCaseData> Samples()
    {
        yield return new TestCaseData("盖章件.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "pdf");
        yield return new TestCaseData("scan.png", (byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "png");
        yield return new TestCaseData("scan.jpg", (byte[])[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46], "jpeg");
        yield return new TestCaseData("scan.jpeg", (byte[])[0xFF, 0xD8, 0xFF, 0xE1, 0, 16, 0x45, 0x78], "jpeg");
        yield return new TestCaseData("a.gif", Encoding.ASCII.GetBytes("GIF89a\x01\0\x01\0"), "gif");
        yield return new TestCaseData("a.bmp", Bmp(), "bmp");
        yield return new TestCaseData("a.tif", (byte[])[0x49, 0x49, 0x2A, 0, 8, 0, 0, 0], "tiff");
        yield return new TestCaseData("申请表.doc", Ole2(), "ole2");
        yield return new TestCaseData("表.xls", Ole2(), "ole2");
        yield return new TestCaseData("表.et", Ole2(), "ole2");
        yield return new TestCaseData("文.wps", Ole2(), "ole2");
        yield return new TestCaseData("演示.ppt", Ole2(), "ole2");
        yield return new TestCaseData("申请表.docx", Packages.Zip("[Content_Types].xml", "word/document.xml"), "docx");
        yield return new TestCaseData("表.xlsx", Packages.Zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx");
        yield return new TestCaseData("演示.pptx", Packages.Zip("[Content_Types].xml", "ppt/presentation.xml"), "pptx");
        yield return new TestCaseData("电子公文.ofd", Packages.Zip("OFD.xml", "Doc_0/Document.xml"), "ofd");
        yield return new TestCaseData("材料.zip", Packages.Zip("a.txt"), "zip");
        yield return new TestCaseData("说明.txt", Encoding.UTF8.GetBytes("平顶山市\r\n数据共享\t说明"), "text");
        yield return new TestCaseData("gbk.csv", Encoding.Latin1.GetBytes("\u00C6\u00BD\u00B6\u00A5,1\r\n"), "text");
        yield return new TestCaseData("data.xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><a/>"), "text");
        yield return new TestCaseData("utf16.txt", (byte[])[0xFF, 0xFE, 0x73, 0x5E, 0x00, 0x00], "text");
    }

    [TestCaseSource(nameof(Samples))]
    public void A_file_whose_bytes_are_its_extensions_format_is_accepted_and_typed_by_its_extension(string name, byte[] bytes, string kind)
    {
        var detected = AttachmentTypes.Detect(Write(name, bytes));

        Assert.That(detected?.Kind, Is.EqualTo(kind));
        Assert.That(AttachmentTypes.Agree(name, detected), Is.True);
    }

    [TestCase("伪装.pdf", "html")]
    [TestCase("伪装.png", "pdf")]
    [TestCase("伪装.jpg", "png")]
    [TestCase("伪装.docx", "zip")]
    [TestCase("伪装.xlsx", "docx")]
    [TestCase("伪装.ofd", "docx")]
    [TestCase("伪装.doc", "docx")]
    [TestCase("伪装.txt", "exe")]
    [TestCase("伪装.csv", "ole2")]
    [TestCase("伪装.bmp", "text-bm")]
    public void A_file_whose_bytes_are_another_format_is_refused(string name, string actual)
    {
        var bytes = actual switch
        {
            "html" => Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"),
            "pdf" => Encoding.ASCII.GetBytes("%PDF-1.4"),
            "png" => new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A },
            "zip" => Packages.Zip("a.txt"),
            "docx" => Packages.Zip("[Content_Types].xml", "word/document.xml"),
            "exe" => new byte[] { (byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0 },
            "ole2" => Ole2(),
            _ => Encoding.ASCII.GetBytes("BM not really a bitmap"),
        };

        Assert.That(AttachmentTypes.Agree(name, AttachmentTypes.Detect(Write(name, bytes))), Is.False);
    }

    [Test]
    public void Stored_types_are_served_inline_only_for_pdf_and_images_and_an_unchecked_type_as_octet_stream()
    {
        Assert.That(AttachmentTypes.Serving("a.pdf", "application/pdf"), Is.EqualTo(("application/pdf", true)));
        Assert.That(AttachmentTypes.Serving("a.png", "image/png"), Is.EqualTo(("image/png", true)));
        Assert.That(AttachmentTypes.Serving("a.html", "text/html"), Is.EqualTo(("text/html", false)));
        Assert.That(AttachmentTypes.Serving("a.docx", AttachmentTypes.ContentTypeOf("a.docx")), Is.EqualTo((AttachmentTypes.ContentTypeOf("a.docx"), false)));
        Assert.That(AttachmentTypes.Serving("a.pdf", "text/html"), Is.EqualTo(("application/octet-stream", false)), "a type recorded before the checks");
        Assert.That(AttachmentTypes.Serving("a.svg", "image/svg+xml"), Is.EqualTo(("application/octet-stream", false)));
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + Path.GetExtension(name));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Ole2() => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];

    private static byte[] Bmp()
    {
        var bytes = new byte[58];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BitConverter.TryWriteBytes(bytes.AsSpan(2, 4), (uint)bytes.Length);
        return bytes;
    }
}
