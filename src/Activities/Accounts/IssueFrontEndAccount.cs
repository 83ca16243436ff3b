using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Accounts.Ftp;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// Form 2 (附件2): a front-end database account (a login on the department's exchange schema, <see cref="IFrontEndDatabase"/>)
/// or an FTP account (<see cref="IFtpAccounts"/>), new or reset. Those systems are outside the step's transaction, so
/// they are made idempotent per issuance: a retry finds the account it made and sets the same derived password again.
/// An unreachable server fails the attempt and the step is retried with back-off.
/// </summary>
[Activity(Type, Category = ExchangeCategories.Accounts, DisplayName = "开通或重置前置库/FTP 账号",
    Description = "在部门前置交换库创建登录角色并授权其交换模式，或开通 FTP 账号；重置时更换密码。凭据经加密附件与短信分别送达。")]
[RetryPolicy(5, 60)]
public sealed class IssueFrontEndAccount : IssueAccountActivity
{
    public const string Type = "Pds.Accounts.IssueFrontEndAccount";

    protected override bool FrontEnd => true;

    protected override async Task<(IssuedAccount Account, string JournalNote)> IssueAsync(ActivityExecutionContext context, AccountIssue issue)
    {
        var application = issue.Application;
        var password = issue.Password;
        if (application.AccountType == FrontEndAccountType.Ftp)
        {
            var ftp = await context.Services.GetRequiredService<IFtpAccounts>().IssueAsync(
                new FtpAccountRequest(issue.Department.Code, application.RequestType, issue.Target.ExistingAccount, issue.Issuance, password), context.CancellationToken);
            return (new IssuedAccount("FTP 账号", ftp.Name, password, application.RequestType,
                [("服务器", ftp.Host), ("端口", ftp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("说明", "登录后即位于本账号的专属目录，请使用被动模式（PASV）")]), ftp.JournalNote);
        }

        var database = await context.Services.GetRequiredService<IFrontEndDatabase>().IssueAsync(
            new FrontEndAccountRequest(issue.Department.Code, application.RequestType, issue.Target.ExistingAccount, issue.Issuance, password), context.CancellationToken);
        return (new IssuedAccount("前置数据库账号", database.Name, password, application.RequestType,
            [("数据库", $"{database.Engine} {database.Server}"), ("交换模式", database.Schema)]), database.JournalNote);
    }
}
