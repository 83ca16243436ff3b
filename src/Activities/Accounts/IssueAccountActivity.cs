using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>What an issuing step knows before it touches the account's system.</summary>
public sealed record AccountIssue(AccountApplication Application, AccountTarget Target, string Mobile, AccountDepartment Department, Issuance Issuance,
    byte[] Secret)
{
    /// <summary>The account's password: the same on every retry of this issuance, stored nowhere in plain text.</summary>
    public string Password => CredentialGenerator.AccountPassword(Secret);
}

/// <summary>
/// The flow both account steps share: read the form and the account the platform settled from its records (an "other"
/// request is for the bureau's staff, not for a machine), check that the zip password can go by SMS and that the form's
/// contact is on record or was confirmed, find the account's unit by its id, derive the issuance's secret, let the
/// concrete step create or reset the account, then queue the encrypted letter and the SMS in the same burst and
/// journal what was done — the account and action, the attachment's digest, never a password.
/// </summary>
public abstract class IssueAccountActivity : Activity
{
    [Input(DisplayName = "申请表", UIHint = UIHints.Code, Required = true)]
    public Input<JsonObject> Application { get; set; } = default!;

    [Input(DisplayName = "账号（平台核定）", Description = "平台根据组织机构记录核定的账号所属单位及原有账号，例如 variables.account", UIHint = UIHints.Code,
        Required = true)]
    public Input<JsonObject> Account { get; set; } = default!;

    [Output(DisplayName = "账号")]
    public Output<string> AccountName { get; set; } = default!;

    protected abstract bool FrontEnd { get; }

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var application = AccountApplication.Read(context.Get(Application), FrontEnd);
        var target = AccountTarget.Read(context.Get(Account), application);
        if (application.RequestType == AccountRequestType.Other)
        {
            context.AddJournalNote("申请类型为“其他”：无账号自动办理，由平台管理员按申请事项人工处理。");
            context.Complete(Done);
            return;
        }

        var mobile = application.MobileNumber();
        var department = await AccountDepartment.ResolveAsync(context, target);
        var issuance = Issuance.Of(context, department.Code);
        var secret = context.Services.GetRequiredService<AccountSecrets>().IssuanceSecret(issuance.Key);
        var (account, note) = await IssueAsync(context, new AccountIssue(application, target, mobile, department, issuance, secret));
        var digest = CredentialDelivery.Enqueue(context, application, mobile, department.Unit.Name, issuance, secret, account);
        context.Set(AccountName, account.AccountName);
        context.AddJournalNote($"{note}；账号信息加密附件（SHA-256 {digest}）发往 {application.Email}，解压密码短信发往尾号 {mobile[^4..]} 的手机，均已进入发件箱。");
        context.Complete(Done);
    }

    /// <summary>Creates or resets the account; returns the letter's content and the journal's note (no password in it).</summary>
    protected abstract Task<(IssuedAccount Account, string JournalNote)> IssueAsync(ActivityExecutionContext context, AccountIssue issue);
}
