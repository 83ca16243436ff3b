using System.Globalization;
using System.Text;
using ICSharpCode.SharpZipLib.Zip;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>What was issued, as the contact reads it in the encrypted attachment.</summary>
public sealed record IssuedAccount(
    string Kind,
    string AccountName,
    string Password,
    AccountRequestType Action,
    IReadOnlyList<(string Label, string Value)> Details);

/// <summary>
/// The credentials letter: a UTF-8 text file in a zip encrypted with WinZip AES-256 (SharpZipLib), opened with the
/// password that goes by SMS. Windows Explorer cannot open AES zips; the e-mail says to use 7-Zip or WinRAR.
/// </summary>
public static class CredentialLetter
{
    public const string EntryName = "账号信息.txt";
    public const string AttachmentName = "账号信息.zip";

    public static string Text(IssuedAccount account, string department, DateTimeOffset issuedAt)
    {
        var text = new StringBuilder();
        text.AppendLine("平顶山市政务数据共享交换平台 账号信息");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"申请部门：{department}");
        text.AppendLine(CultureInfo.InvariantCulture, $"账号类型：{account.Kind}");
        text.AppendLine(CultureInfo.InvariantCulture, $"办理事项：{ActionText(account.Action)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"账号：{account.AccountName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"密码：{account.Password}");
        foreach (var (label, value) in account.Details) text.AppendLine(CultureInfo.InvariantCulture, $"{label}：{value}");
        text.AppendLine(CultureInfo.InvariantCulture, $"签发时间：{issuedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}（北京时间）");
        text.AppendLine();
        text.AppendLine("请妥善保管账号和密码，不得转借他人；如遗失，请按账号申请及重置流程申请密码重置。");
        return text.ToString();
    }

    public static string ActionText(AccountRequestType action) => action == AccountRequestType.Reset ? "密码重置" : "账号开通";

    /// <summary>The letter as a zip with one AES-256 encrypted entry.</summary>
    public static byte[] Zip(string text, string password, DateTimeOffset issuedAt)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipOutputStream(buffer))
        {
            zip.IsStreamOwner = false;
            zip.Password = password;
            zip.SetLevel(9);
            var content = Encoding.UTF8.GetBytes(text);
            var entry = new ZipEntry(EntryName)
            {
                AESKeySize = 256,
                IsUnicodeText = true,
                DateTime = issuedAt.ToOffset(TimeSpan.FromHours(8)).DateTime,
                Size = content.Length,
            };
            zip.PutNextEntry(entry);
            zip.Write(content);
            zip.CloseEntry();
        }

        return buffer.ToArray();
    }
}
