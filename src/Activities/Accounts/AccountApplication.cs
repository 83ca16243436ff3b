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
/// What the issuing steps take from an account form (forms/account-platform.json, account-database-ftp.json): the kind
/// of request and the contact the credentials go to. Whose account it is comes from the platform's records (variable
/// <c>account</c>, <see cref="AccountFacts"/>), never from the form. A form that cannot be acted on stops the step with an
/// incident that says why (<see cref="WorkflowFaultException"/>).
/// </summary>
public sealed partial record AccountApplication(
    AccountRequestType RequestType,
    FrontEndAccountType? AccountType,
    string ContactName,
    string? JobTitle,
    string Email,
    string Phone)
{
    public static AccountApplication Read(JsonObject? form, bool frontEnd)
    {
        if (form is null) throw new WorkflowFaultException("申请表为空，无法办理账号。");
        var requestType = ParseRequestType(FormValues.Text(form, "requestType"));
        FrontEndAccountType? accountType = null;
        if (frontEnd)
        {
            accountType = FormValues.Text(form, "accountType") switch
            {
                "database" => FrontEndAccountType.Database,
                "ftp" => FrontEndAccountType.Ftp,
                var other => throw new WorkflowFaultException($"账号类型“{other}”无法办理：应为 database 或 ftp。"),
            };
        }

        // The form's contact receives the credentials only when it is on record or the approver confirmed it (AccountContacts).
        if (form["contactDiffers"] is JsonValue differs && differs.TryGetValue<bool>(out var flagged) && flagged
            && FormValues.Text(form, AccountContacts.CheckField) != AccountContacts.Confirmed)
            throw new WorkflowFaultException("申请表联系方式与组织机构登记信息不一致，且办理人未确认核实，账号信息不予发送；请退回申请人补正或由办理人核实后确认。");
        var email = FormValues.Text(form, "email") ?? throw new WorkflowFaultException("申请表没有电子邮箱，账号信息无法送达。");
        var phone = FormValues.Text(form, "phone") ?? throw new WorkflowFaultException("申请表没有联系电话，解压密码无法以短信送达。");
        return new AccountApplication(requestType, accountType,
            FormValues.Text(form, frontEnd ? "integrationOwner" : "applicantName") ?? FormValues.Text(form, "applicantName") ?? "申请人",
            FormValues.Text(form, "jobTitle"), email.Trim(), phone);
    }

    internal static AccountRequestType ParseRequestType(string? text) => text switch
    {
        "new" => AccountRequestType.New,
        "reset" => AccountRequestType.Reset,
        "other" => AccountRequestType.Other,
        var other => throw new WorkflowFaultException($"申请类型“{other}”无法办理：应为 new、reset 或 other。"),
    };

    /// <summary>
    /// The contact's mobile number as the SMS gateway takes it (11 digits), or an incident: the zip password may not go
    /// by e-mail with the zip (domain.md, P1/P2: never in the same channel), and a landline cannot receive it.
    /// </summary>
    public string MobileNumber()
    {
        var digits = AccountContacts.PhoneDigits(Phone);
        return Mobile().IsMatch(digits)
            ? digits
            : throw new WorkflowFaultException($"联系电话“{Phone}”不是手机号码，解压密码无法以短信送达；请联系申请人提供手机号码后由运维人员重试。");
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}

/// <summary>
/// The account an application is about, as the platform settled it from its records when the form was submitted
/// (variable <c>account</c> of <see cref="AccountFacts"/>): its unit, and for a reset the existing account.
/// </summary>
public sealed record AccountTarget(AccountRequestType RequestType, string OrgUnitId, string? ExistingAccount)
{
    public static AccountTarget Read(JsonObject? account, AccountApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var unit = FormValues.Text(account, "orgUnitId");
        if (unit is null) throw new WorkflowFaultException("平台未核定账号所属单位（申请未经提交核验），无法办理。");
        var requestType = AccountApplication.ParseRequestType(FormValues.Text(account, "requestType"));
        if (requestType != application.RequestType)
            throw new WorkflowFaultException("申请表的申请类型与平台核定的不一致，请退回申请人重新提交。");
        var existing = FormValues.Text(account, "existingAccount");
        if (requestType == AccountRequestType.Reset && existing is null) throw new WorkflowFaultException("密码重置须指明原有账号。");
        return new AccountTarget(requestType, unit, existing);
    }
}
