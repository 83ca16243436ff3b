using PdsWorkflow.Activities.DataSharing.Forms;

namespace PdsWorkflow.Activities.Tests.DataSharing;

public sealed class SharedFileFormatTests
{
    private const string Label = "文件名";

    [Test]
    public void The_allowed_formats_are_those_of_article_8()
    {
        Assert.That(SharedFileFormatValidator.Allowed, Is.EqualTo(new[] { "wps", "doc", "xml", "txt", "docx", "html", "ppt", "et", "xls", "csv" }));
    }

    [TestCase("2024年低保救助名单.xls", "2024年低保救助名单.xls")]
    [TestCase("婚姻登记记录.CSV", "婚姻登记记录.CSV")]
    [TestCase("通知.wps", "通知.wps")]
    [TestCase("统计表.et", "统计表.et")]
    [TestCase("说明.docx", "说明.docx")]
    [TestCase("数据字典.HTML", "数据字典.HTML")]
    [TestCase("汇报.ppt", "汇报.ppt")]
    [TestCase("交换.xml", "交换.xml")]
    [TestCase("readme.txt", "readme.txt")]
    [TestCase("文件.doc", "文件.doc")]
    [TestCase("CSV", "csv")]
    [TestCase(".xls", "xls")]
    public void Files_in_the_allowed_formats_pass(string value, string expected)
    {
        Assert.That(new SharedFileFormatValidator().Validate(value, Label).Normalized, Is.EqualTo(expected));
    }

    [TestCase("名单.xlsx", "xlsx")]
    [TestCase("扫描件.pdf", "pdf")]
    [TestCase("照片.jpg", "jpg")]
    [TestCase("归档.zip", "zip")]
    [TestCase("没有扩展名", "没有扩展名")]
    [TestCase("ofd", "ofd")]
    public void Other_formats_fail(string value, string extension)
    {
        var result = new SharedFileFormatValidator().Validate(value, Label);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo("fileFormat.unsupported"));
            Assert.That(result.Message, Is.EqualTo($"文件名的文件格式“{extension}”不是平台支持的共享文件格式（wps、doc、xml、txt、docx、html、ppt、et、xls、csv）"));
        }
    }
}
