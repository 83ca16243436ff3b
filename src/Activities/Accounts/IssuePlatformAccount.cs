using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// Form 1 (附件1): a platform user account. New: a user in the account's unit, named
/// <c>&lt;unit&gt;.&lt;e-mail name&gt;</c>, with <see cref="AccountsOptions.PlatformRole"/>. Reset: a new password for the
/// account the platform settled (a user of that unit), unlocking it. The user row, the password
/// hash and the two outbox messages commit in the step's burst, so a retry can neither double the account nor send a
/// password that was not stored.
/// </summary>
[Activity(Type, Category = ExchangeCategories.Accounts, DisplayName = "开通或重置平台账号",
    Description = "按申请开通平台用户账号或重置密码；账号信息以加密附件发至联系人邮箱，解压密码以短信发送。")]
[RetryPolicy(5, 60)]
public sealed class IssuePlatformAccount : IssueAccountActivity
{
    public const string Type = "Pds.Accounts.IssuePlatformAccount";
    private const int MaxUserNameLength = 100;

    protected override bool FrontEnd => false;

    protected override async Task<(IssuedAccount Account, string JournalNote)> IssueAsync(ActivityExecutionContext context, AccountIssue issue)
    {
        var settings = context.Services.GetRequiredService<IOptions<AccountsOptions>>().Value;
        var hasher = context.Services.GetRequiredService<IUserPasswordHasher>();
        var password = issue.Password;
        var unit = issue.Department.Unit;
        var db = context.Db;
        string note;
        UserRecord user;
        if (issue.Application.RequestType == AccountRequestType.Reset)
        {
            var name = issue.Target.ExistingAccount!;
            user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == name, context.CancellationToken)
                ?? throw new WorkflowFaultException($"平台上没有账号“{name}”，无法重置密码。");
            // The unit was settled from this account when the form was submitted: an account moved since is not reset.
            if (user.OrgUnitId != unit.Id)
                throw new WorkflowFaultException($"账号“{name}”不属于{unit.Name}，不能由本申请重置。");
            if (!user.IsActive) throw new WorkflowFaultException($"账号“{name}”已停用，重置密码前须先由平台管理员启用。");
            user.PasswordHash = hasher.Hash(password);
            user.FailedSignIns = 0;
            user.LockedUntil = null;
            user.Lockouts = 0;
            // The platform chose this password: the holder must choose their own at the next sign-in; old sessions end.
            user.MustChangePassword = true;
            user.PasswordChangedAt = context.Clock.GetUtcNow().UtcDateTime;
            user.RevokeSessions();
            context.UpdateEntity(user);
            context.Services.GetRequiredService<SecurityLog>().Add(db, new SecurityEvent(SecurityEventKinds.PasswordReset, SecurityResults.Success,
                "system:accounts", null, $"user:{user.Id}", $"账号申请流程重置（实例 {context.InstanceId}）；其全部会话已结束"));
            note = $"平台账号：已重置 {user.Id}（{unit.Name}）的密码并解除锁定";
        }
        else
        {
            var now = context.Clock.GetUtcNow().UtcDateTime;
            user = new UserRecord
            {
                Id = await FreeUserNameAsync(db, unit.Id, issue.Application.Email, context.CancellationToken),
                DisplayName = issue.Application.ContactName,
                OrgUnitId = unit.Id,
                Title = issue.Application.JobTitle,
                Phone = issue.Mobile,
                Email = issue.Application.Email,
                IsActive = true,
                CreatedAt = now,
                PasswordChangedAt = now,
                MustChangePassword = true,
                SecurityStamp = UserRecord.NewSecurityStamp(),
            };
            user.PasswordHash = hasher.Hash(password);
            context.AddEntity(user);
            context.AddEntity(new UserRoleRecord { UserId = user.Id, Role = settings.PlatformRole, OrgUnitId = unit.Id });
            context.Services.GetRequiredService<SecurityLog>().Add(db, new SecurityEvent(SecurityEventKinds.UserCreated, SecurityResults.Success,
                "system:accounts", null, $"user:{user.Id}", $"账号申请流程开通（实例 {context.InstanceId}），角色 {settings.PlatformRole}"));
            note = $"平台账号：已开通 {user.Id}（{unit.Name}，角色 {Roles.DisplayNames[settings.PlatformRole]}）";
        }

        var account = new IssuedAccount("平台用户账号", user.Id, password, issue.Application.RequestType, [("登录地址", settings.PlatformUrl)]);
        return (account, note);
    }

    /// <summary><c>&lt;unit&gt;.&lt;local part of the e-mail&gt;</c>, with 2, 3… appended while taken.</summary>
    internal static async Task<string> FreeUserNameAsync(WorkflowDbContext db, string unitId, string email, CancellationToken cancellationToken)
    {
        var local = new StringBuilder();
        foreach (var c in email.Split('@')[0].ToLowerInvariant())
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-') local.Append(c);
        var stem = $"{unitId}.{(local.Length == 0 ? "user" : local.ToString().Trim('.'))}";
        if (stem.Length > MaxUserNameLength - 3) stem = stem[..(MaxUserNameLength - 3)];
        var taken = await db.Users.AsNoTracking().Where(u => u.Id.StartsWith(stem)).Select(u => u.Id).ToListAsync(cancellationToken);
        if (!taken.Contains(stem, StringComparer.Ordinal)) return stem;
        for (var n = 2; ; n++)
        {
            var candidate = stem + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.Contains(candidate, StringComparer.Ordinal)) return candidate;
        }
    }
}
