using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Auth;

/// <summary>
/// The password rules of GB/T 22239-2019 8.1.4.1 a) (身份鉴别信息具有复杂度要求并定期更换): at least 10 characters from
/// three of the four classes (capitals, small letters, digits, others), not containing the user name, none of the last
/// <see cref="SignInOptions.PasswordHistory"/> passwords; and the one place a password is set, so that every change keeps
/// the history, restarts the password's age and ends the user's other sessions.
/// </summary>
public sealed class PasswordPolicy(IOptions<SignInOptions> options, TimeProvider clock)
{
    public const int MinLength = 10;
    public const int MaxLength = 128;
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    /// <summary>What is wrong with <paramref name="password"/> for <paramref name="userName"/> by itself; null when it passes.</summary>
    public static string? Problem(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length is < MinLength or > MaxLength) return $"密码至少 {MinLength} 位（最多 {MaxLength} 位）。";
        var classes = (password.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (password.Any(char.IsAsciiLetterLower) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3) return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。";
        if (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase)) return "密码不能包含用户名。";
        var lower = password.ToLowerInvariant();
        var letters = new string(lower.Where(char.IsAsciiLetter).ToArray());
        var substituted = new string(lower.Select(c => c switch { '@' => 'a', '0' => 'o', '1' => 'i', '3' => 'e', '$' => 's', _ => c })
            .Where(char.IsAsciiLetter).ToArray());
        return letters.Length == 0 || CommonWords.Contains(letters) || CommonWords.Contains(substituted) || password.Distinct().Count() < 4
            ? "密码过于常见或简单，请换一个不易猜到的密码。"
            : null;
    }

    /// <summary>
    /// Words that with digits and symbols around them make the passwords guessed first (Password12, Admin@2026, Qwerty123!…);
    /// compared after lower-casing, undoing common substitutions (@→a, 0→o, 1→i, 3→e, $→s) and dropping what is not a letter.
    /// </summary>
    private static readonly HashSet<string> CommonWords =
    [
        "password", "passwd", "pass", "admin", "administrator", "root", "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbn", "abc", "abcd", "abcdef",
        "welcome", "letmein", "iloveyou", "test", "user", "guest", "login", "changeme", "default", "secret", "master", "system", "sa", "pds", "pdsworkflow",
        "aa", "aaa", "qaz", "qazwsx", "wsx", "woaini", "zhangsan", "china", "beijing", "pingdingshan", "abcabc",
    ];

    /// <summary>Whether <paramref name="password"/> is the current one or one of the remembered earlier ones.</summary>
    public async Task<bool> WasUsedAsync(WorkflowDbContext db, UserRecord user, string password, CancellationToken cancellationToken)
    {
        var remembered = options.Value.PasswordHistory;
        if (remembered == 0) return false;
        if (user.PasswordHash is { } current && Hasher.VerifyHashedPassword(user, current, password) != PasswordVerificationResult.Failed) return true;
        var earlier = await db.PasswordHistory.AsNoTracking().Where(h => h.UserId == user.Id).OrderByDescending(h => h.ChangedAt)
            .Take(remembered - 1).Select(h => h.PasswordHash).ToListAsync(cancellationToken);
        return earlier.Any(hash => Hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);
    }

    /// <summary>
    /// Sets a password on a tracked user: the old hash goes to the history (trimmed to what is remembered), the age restarts,
    /// <paramref name="mustChange"/> says whether the holder must choose a new one at the next sign-in (an administrator
    /// chose this one), failures and lockouts are cleared, and a new security stamp ends every session of the user.
    /// </summary>
    public async Task SetAsync(WorkflowDbContext db, UserRecord user, string password, bool mustChange, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (user.PasswordHash is { } previous && options.Value.PasswordHistory > 1)
        {
            db.PasswordHistory.Add(new PasswordHistoryRecord { Id = Guid.NewGuid(), UserId = user.Id, PasswordHash = previous, ChangedAt = now });
            var keep = options.Value.PasswordHistory - 1;
            var stale = await db.PasswordHistory.Where(h => h.UserId == user.Id).OrderByDescending(h => h.ChangedAt).Skip(keep - 1).ToListAsync(cancellationToken);
            db.PasswordHistory.RemoveRange(stale);
        }

        user.PasswordHash = Hash(password);
        user.PasswordChangedAt = now;
        user.MustChangePassword = mustChange;
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.Lockouts = 0;
        user.RevokeSessions();
    }

    /// <summary>Whether the user must change the password before doing anything else, and why (a code for the client).</summary>
    public string? PendingChange(UserRecord user)
    {
        if (user.MustChangePassword) return PendingSteps.PasswordChange;
        // Null only for a row written outside the product (M031 dated every existing password to the upgrade).
        var maxAge = options.Value.PasswordMaxAge;
        return maxAge > TimeSpan.Zero && user.PasswordChangedAt is { } setAt && clock.GetUtcNow().UtcDateTime - setAt >= maxAge
            ? PendingSteps.PasswordExpired
            : null;
    }

    public static string Hash(string password) => Hasher.HashPassword(Anyone, password);

    public static PasswordVerificationResult Verify(UserRecord user, string hash, string password) => Hasher.VerifyHashedPassword(user, hash, password);

    /// <summary>Identity's PasswordHasher takes a user but does not use it: the hash holds its own random salt.</summary>
    internal static readonly UserRecord Anyone = new() { Id = "", DisplayName = "", OrgUnitId = "" };
}

/// <summary>What a signed-in session must do before anything else; the API answers 403 with the code until it is done.</summary>
public static class PendingSteps
{
    public const string PasswordChange = "password_change_required";
    public const string PasswordExpired = "password_expired";
    public const string SecondFactorEnrolment = "second_factor_enrolment_required";
}
