using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;

namespace PdsWorkflow.Host.Auth;

/// <summary>Sign-in, session, password and second-factor rules (<c>SignIn:*</c>); docs/security.md explains the defaults.</summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    /// <summary>Wrong passwords (or codes) in a row that lock the account.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>The first lockout's length; each further one before a successful sign-in doubles it, up to <see cref="MaxLockoutDuration"/>.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Sign-in requests one source address may send per <see cref="SourceWindow"/>; more answer 429. Offices reach the
    /// platform through a few NAT addresses, so this counts an office, not a person (docs/security.md).
    /// </summary>
    public int SourcePermitLimit { get; set; } = 30;

    public TimeSpan SourceWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Idle time after which the session ends (sliding).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A password older than this must be changed before anything else; zero turns expiry off.</summary>
    public TimeSpan PasswordMaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Earlier passwords that may not be chosen again.</summary>
    public int PasswordHistory { get; set; } = 5;

    /// <summary>
    /// Roles whose holders must sign in with a second factor (TOTP), comma-separated; the others may enrol one. A text, not a
    /// list: the configuration binder adds a configured list to a default one instead of replacing it.
    /// </summary>
    public string SecondFactorRoles { get; set; } = string.Join(",", Roles.PlatformAdmin, Roles.SecurityAdmin, Roles.WorkflowAdmin, Roles.Auditor);

    public IReadOnlyList<string> SecondFactorRoleList =>
        SecondFactorRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The issuer an authenticator app shows beside the account.</summary>
    public string TotpIssuer { get; set; } = "平顶山市政务数据共享交换平台";
}

public sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFailedAttempts is < 3 or > 10)
            failures.Add($"SignIn:MaxFailedAttempts 为 {options.MaxFailedAttempts}，应在 3 到 10 之间（等保要求限制非法登录次数）。");
        if (options.LockoutDuration < TimeSpan.FromMinutes(1) || options.LockoutDuration > options.MaxLockoutDuration)
            failures.Add($"SignIn:LockoutDuration 为 {options.LockoutDuration}，应至少 1 分钟且不超过 SignIn:MaxLockoutDuration。");
        if (options.MaxLockoutDuration > TimeSpan.FromDays(1))
            failures.Add($"SignIn:MaxLockoutDuration 为 {options.MaxLockoutDuration}，不应超过 1 天：锁定过长会被人利用来阻止他人登录。");
        if (options.SourcePermitLimit is < 1 or > 1000) failures.Add($"SignIn:SourcePermitLimit 为 {options.SourcePermitLimit}，应在 1 到 1000 之间。");
        if (options.SourceWindow < TimeSpan.FromSeconds(1) || options.SourceWindow > TimeSpan.FromHours(1))
            failures.Add($"SignIn:SourceWindow 为 {options.SourceWindow}，应在 1 秒到 1 小时之间。");
        if (options.SessionTimeout < TimeSpan.FromMinutes(1) || options.SessionTimeout > TimeSpan.FromHours(12))
            failures.Add($"SignIn:SessionTimeout 为 {options.SessionTimeout}，应在 1 分钟到 12 小时之间（登录连接超时自动退出）。");
        if (options.PasswordMaxAge < TimeSpan.Zero || options.PasswordMaxAge > TimeSpan.FromDays(365))
            failures.Add($"SignIn:PasswordMaxAge 为 {options.PasswordMaxAge}，应在 0（不过期）到 365 天之间。");
        if (options.PasswordHistory is < 0 or > 24) failures.Add($"SignIn:PasswordHistory 为 {options.PasswordHistory}，应在 0 到 24 之间。");
        foreach (var role in options.SecondFactorRoleList.Where(r => !Roles.DisplayNames.ContainsKey(r)))
            failures.Add($"SignIn:SecondFactorRoles 中的角色“{role}”不存在。");
        if (string.IsNullOrWhiteSpace(options.TotpIssuer)) failures.Add("SignIn:TotpIssuer 不能为空：动态口令应用里显示的系统名称。");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
