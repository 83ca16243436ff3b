using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// Queues the two halves of a credentials delivery in the step's burst (domain.md, P1/P2: never in the same channel):
/// the encrypted letter by e-mail to the form's address, and its zip password by SMS to the form's mobile number. The
/// SMS message carries no password: its handler re-derives it from the issuance (<see cref="AccountSecrets"/>).
/// </summary>
public static class CredentialDelivery
{
    public const string EmailType = "credentials.email";
    public const string SmsType = "credentials.sms";

    /// <summary>Queues both messages and returns the attachment's SHA-256, for the journal.</summary>
    public static string Enqueue(ActivityExecutionContext context, AccountApplication application, string mobile, string department,
        Issuance issuance, byte[] issuanceSecret, IssuedAccount account)
    {
        var issuedAt = context.Clock.GetUtcNow();
        var zip = CredentialLetter.Zip(CredentialLetter.Text(account, department, issuedAt), CredentialGenerator.ZipPassword(issuanceSecret), issuedAt);
        var digest = Convert.ToHexStringLower(SHA256.HashData(zip));
        var action = CredentialLetter.ActionText(account.Action);
        context.EnqueueMessage(EmailType, new JsonObject
        {
            ["to"] = application.Email,
            ["toName"] = application.ContactName,
            ["subject"] = $"【平顶山市政务数据共享交换平台】{account.Kind}{action}通知",
            ["body"] = $"""
                {application.ContactName}：您好！

                贵单位（{department}）申请的{account.Kind}已办理{action}，账号 {account.AccountName} 的信息见附件“{CredentialLetter.AttachmentName}”。
                附件已用 AES-256 加密，解压密码已另以短信发送至申请表中的手机号码（尾号 {mobile[^4..]}）。
                请使用 7-Zip、WinRAR 等支持 AES 加密的解压工具打开附件，并妥善保管账号和密码。

                本邮件由系统自动发送，请勿回复。
                平顶山市政务服务和大数据管理局
                """,
            ["attachmentName"] = CredentialLetter.AttachmentName,
            ["attachment"] = Convert.ToBase64String(zip),
            ["attachmentSha256"] = digest,
        });
        context.EnqueueMessage(SmsType, new JsonObject
        {
            ["phone"] = mobile,
            ["issuance"] = issuance.Key,
            ["account"] = account.AccountName,
        });
        return digest;
    }
}
