using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

public enum AccountRequestType
{
    New,
    Reset,
    Other,
}

public enum FrontEndAccountType
{
    Database,
    Ftp,
}

/// <summary>
/// The fields of an account form (forms/account-platform.json, account-database-ftp.json) the issuing steps use. A form
/// that cannot be acted on stops the step with an incident that says why (<see cref="WorkflowFaultException"/>).
/// </summary>
public sealed partial record AccountApplication(
    AccountRequestType RequestType,
    FrontEndAccountType? AccountType,
    string? ExistingAccount,
    string Department,
    string ContactName,
    string? JobTitle,
    string Email,
    string Phone)
{
    public static AccountApplication Read(JsonObject? form, bool frontEnd)
    {
        if (form is null) throw new WorkflowFaultException("申请表为空，无法办理账号。");
        var requestType = Text(form, "requestType") switch
        {
            "new" => AccountRequestType.New,
            "reset" => AccountRequestType.Reset,
            "other" => AccountRequestType.Other,
            var other => throw new WorkflowFaultException($"申请类型“{other}”无法办理：应为 new、reset 或 other。"),
        };
        FrontEndAccountType? accountType = null;
        if (frontEnd)
        {
            accountType = Text(form, "accountType") switch
            {
                "database" => FrontEndAccountType.Database,
                "ftp" => FrontEndAccountType.Ftp,
                var other => throw new WorkflowFaultException($"账号类型“{other}”无法办理：应为 database 或 ftp。"),
            };
        }

        var existing = Text(form, "existingAccount");
        if (requestType == AccountRequestType.Reset && string.IsNullOrWhiteSpace(existing))
            throw new WorkflowFaultException("密码重置须填写原有账号名称。");
        var email = Text(form, "email") ?? throw new WorkflowFaultException("申请表没有电子邮箱，账号信息无法送达。");
        var phone = Text(form, "phone") ?? throw new WorkflowFaultException("申请表没有联系电话，解压密码无法以短信送达。");
        return new AccountApplication(requestType, accountType, existing?.Trim(), Text(form, "department") ?? "",
            Text(form, frontEnd ? "integrationOwner" : "applicantName") ?? Text(form, "applicantName") ?? "申请人",
            Text(form, "jobTitle"), email.Trim(), phone);
    }

    /// <summary>
    /// The contact's mobile number as the SMS gateway takes it (11 digits), or an incident: the zip password may not go
    /// by e-mail with the zip (domain.md, P1/P2: never in the same channel), and a landline cannot receive it.
    /// </summary>
    public string MobileNumber()
    {
        var digits = new string(Phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("86", StringComparison.Ordinal) && digits.Length == 13) digits = digits[2..];
        return Mobile().IsMatch(digits)
            ? digits
            : throw new WorkflowFaultException($"联系电话“{Phone}”不是手机号码，解压密码无法以短信送达；请联系申请人提供手机号码后由运维人员重试。");
    }

    private static string? Text(JsonObject form, string key) =>
        form[key] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}
