using PdsWorkflow.Host.Api;

namespace PdsWorkflow.Host.Auth;

/// <summary>
/// What a signed-in session must do before it may use the API: change a password an administrator chose or that has
/// expired, or enrol the second factor its roles require. Decided on every request from the user's row, so that doing it
/// opens the session at once, and an administrator's reset closes it at once.
/// </summary>
public sealed class SessionGate(PasswordPolicy passwords, SecondFactor secondFactor)
{
    public string? Pending(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Account is not { } account) return null;
        return passwords.PendingChange(account)
            ?? (account.TotpEnabledAt is null && secondFactor.IsRequired(caller.Roles) ? PendingSteps.SecondFactorEnrolment : null);
    }

    /// <summary>The sign-in endpoints (password change, enrolment, sign-out) and who-am-I stay open to a pending session.</summary>
    public static bool Allows(PathString path) => path.StartsWithSegments("/api/auth") || path == "/api/me";

    public static string Title(string pending) => pending == PendingSteps.SecondFactorEnrolment ? "请先绑定动态口令" : "请先修改密码";

    public static string Detail(string pending) => pending switch
    {
        PendingSteps.PasswordChange => "密码由管理员设置或为初始密码，须修改后才能继续使用。",
        PendingSteps.PasswordExpired => "密码已超过有效期，须修改后才能继续使用。",
        _ => "您的角色要求使用动态口令（双因素）登录，请先完成绑定。",
    };
}
