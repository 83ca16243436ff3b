using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.DataSharing.Forms;

/// <summary>
/// Format "sharedFileFormat": the formats in which files are shared through the platform, per 平顶山市政务数据共享交换平台
/// 管理暂行办法 第八条（二）: wps, doc, xml, txt, docx, html, ppt, et, xls, csv. The value is a file name or an
/// extension (with or without its dot), compared case-insensitively; a bare extension is normalised to lower case
/// without the dot.
/// </summary>
public sealed class SharedFileFormatValidator : IFormatValidator
{
    public static IReadOnlyList<string> Allowed { get; } = ["wps", "doc", "xml", "txt", "docx", "html", "ppt", "et", "xls", "csv"];

    public string Name => "sharedFileFormat";

    public FormatResult Validate(string value, string label)
    {
        ArgumentNullException.ThrowIfNull(value);
        var dot = value.LastIndexOf('.');
        var isBareExtension = dot <= 0;
        var extension = (isBareExtension ? value.TrimStart('.') : value[(dot + 1)..]).ToLowerInvariant();
        if (!Allowed.Contains(extension))
        {
            return FormatResult.Invalid("fileFormat.unsupported",
                $"{label}的文件格式“{extension}”不是平台支持的共享文件格式（{string.Join("、", Allowed)}）");
        }

        return FormatResult.Valid(isBareExtension ? extension : value);
    }
}
