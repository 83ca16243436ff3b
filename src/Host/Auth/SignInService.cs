using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Auth;

public sealed record SignedInUser(string Id, string DisplayName, string OrgUnitId, IReadOnlyList<string> Roles);

public enum SignInOutcome
{
    /// <summary>Signed in; <see cref="SignInResult.Pending"/> may still ask for a password change or an enrolment first.</summary>
    SignedIn,

    /// <summary>The password was right and the account has a second factor: send the code with the password again.</summary>
    SecondFactorRequired,

    /// <summary>Unknown user, wrong password or code, locked, disabled: one answer for all, so that none can be told apart.</summary>
    Failed,
}

public sealed record SignInResult(SignInOutcome Outcome, SignedInUser? User = null, string? SecurityStamp = null, string? Pending = null);

/// <summary>
/// Checks a password (and the second factor when the account has one) against the database. Failures are counted
/// atomically before the password is checked: a conditional <c>UPDATE … SET FailedSignIns = FailedSignIns + 1 WHERE
/// FailedSignIns &lt; max AND not locked</c> reserves one check, so however many guesses arrive at once, exactly
/// <see cref="SignInOptions.MaxFailedAttempts"/> are checked before the lockout. Each lockout before a success lasts twice
/// the one before (up to <see cref="SignInOptions.MaxLockoutDuration"/>). Every outcome is written to the security log.
/// </summary>
public sealed class SignInService(WorkflowStore store, SecurityLog log, PasswordPolicy passwords, SecondFactor secondFactor, TimeProvider clock,
    IOptions<SignInOptions> options)
{
    /// <summary>Verifying against a real hash for unknown and locked users keeps their answer as slow as a known user's.</summary>
    private static readonly string DummyHash = PasswordPolicy.Hash(Guid.NewGuid().ToString());

    public async Task<SignInResult> SignInAsync(string userName, string password, string? code, string? source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await store.CreateContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userName, cancellationToken);
        if (user is null || !user.IsActive || user.PasswordHash is null)
            return await FailAsync(userName, password, source, user is null ? "unknown_user" : !user.IsActive ? "disabled" : "no_password", cancellationToken);

        var reserved = await db.Users
            .Where(u => u.Id == user.Id && u.FailedSignIns < settings.MaxFailedAttempts && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedSignIns, x => x.FailedSignIns + 1), cancellationToken);
        if (reserved == 0) return await FailAsync(userName, password, source, "locked", cancellationToken);

        var verdict = PasswordPolicy.Verify(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return await CountFailureAsync(db, user, source, "wrong_password", now, cancellationToken);

        if (user.TotpEnabledAt is not null)
        {
            if (string.IsNullOrEmpty(code))
            {
                // The password alone proves nothing yet: give the reserved check back, but clear nothing (codes stay counted).
                await db.Users.Where(u => u.Id == user.Id && u.FailedSignIns > 0)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedSignIns, x => x.FailedSignIns - 1), cancellationToken);
                return new SignInResult(SignInOutcome.SecondFactorRequired);
            }

            var step = secondFactor.Match(user, code);
            var used = step is { } s && await db.Users.Where(u => u.Id == user.Id && (u.TotpLastStep == null || u.TotpLastStep < s))
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.TotpLastStep, s), cancellationToken) == 1;
            if (!used) return await CountFailureAsync(db, user, source, "wrong_second_factor", now, cancellationToken);
        }

        var stamp = user.SecurityStamp ?? UserRecord.NewSecurityStamp();
        var hash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? PasswordPolicy.Hash(password) : user.PasswordHash;
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.FailedSignIns, 0).SetProperty(x => x.LockedUntil, (DateTime?)null).SetProperty(x => x.Lockouts, 0)
            .SetProperty(x => x.SecurityStamp, stamp).SetProperty(x => x.PasswordHash, hash), cancellationToken);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Select(r => r.Role).Distinct().ToListAsync(cancellationToken);
        var pending = passwords.PendingChange(user)
            ?? (user.TotpEnabledAt is null && secondFactor.IsRequired(roles) ? PendingSteps.SecondFactorEnrolment : null);
        await log.WriteAsync(new SecurityEvent(SecurityEventKinds.SignIn, SecurityResults.Success, user.Id, source, $"user:{user.Id}",
            user.TotpEnabledAt is null ? "密码" : "密码+动态口令"), cancellationToken);
        return new SignInResult(SignInOutcome.SignedIn, new SignedInUser(user.Id, user.DisplayName, user.OrgUnitId, roles), stamp, pending);
    }

    /// <summary>A wrong password or code after a reserved check: the reservation stays counted, and the last allowed one locks.</summary>
    private async Task<SignInResult> CountFailureAsync(WorkflowDbContext db, UserRecord user, string? source, string reason, DateTime now,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var duration = LockoutFor(user.Lockouts);
        var until = now + duration;
        var locked = await db.Users.Where(u => u.Id == user.Id && u.FailedSignIns >= settings.MaxFailedAttempts)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockedUntil, until).SetProperty(x => x.FailedSignIns, 0)
                .SetProperty(x => x.Lockouts, x => x.Lockouts + 1), cancellationToken);
        await log.WriteAsync(new SecurityEvent(SecurityEventKinds.SignIn, SecurityResults.Failure, user.Id, source, $"user:{user.Id}", Reason(reason)), cancellationToken);
        if (locked == 1)
            await log.WriteAsync(new SecurityEvent(SecurityEventKinds.Lockout, SecurityResults.Success, "system:sign-in", source, $"user:{user.Id}",
                $"连续失败 {settings.MaxFailedAttempts} 次，锁定 {duration.TotalMinutes:0} 分钟至 {until:yyyy-MM-dd HH:mm:ss}Z"), cancellationToken);
        return new SignInResult(SignInOutcome.Failed);
    }

    private async Task<SignInResult> FailAsync(string userName, string password, string? source, string reason, CancellationToken cancellationToken)
    {
        PasswordPolicy.Verify(PasswordPolicy.Anyone, DummyHash, password);
        await log.WriteAsync(new SecurityEvent(SecurityEventKinds.SignIn, SecurityResults.Failure, userName, source, $"user:{userName}", Reason(reason)),
            cancellationToken);
        return new SignInResult(SignInOutcome.Failed);
    }

    /// <summary>The auditor's wording of a failure, with its stable code: the log is searched by either.</summary>
    private static string Reason(string code) => code switch
    {
        "unknown_user" => "用户不存在",
        "disabled" => "账号已停用",
        "no_password" => "账号未设置密码",
        "locked" => "账号锁定中，未核验密码",
        "wrong_password" => "密码错误",
        "wrong_second_factor" => "动态口令错误",
        _ => code,
    } + $"（{code}）";

    /// <summary>The lockout after <paramref name="earlier"/> lockouts since the last success: 5, 10, 20, 30, 30… minutes by default.</summary>
    public TimeSpan LockoutFor(int earlier)
    {
        var settings = options.Value;
        var factor = Math.Pow(2, Math.Min(earlier, 16));
        var minutes = Math.Min(settings.LockoutDuration.TotalMinutes * factor, settings.MaxLockoutDuration.TotalMinutes);
        return TimeSpan.FromMinutes(minutes);
    }
}
