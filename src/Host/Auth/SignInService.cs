using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Auth;

public sealed class SignInOptions
{
    public const string Section = "SignIn";

    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle time after which the session ends (sliding).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed record SignedInUser(string Id, string DisplayName, string OrgUnitId, IReadOnlyList<string> Roles);

public enum SignInFailure
{
    WrongNameOrPassword,
    LockedOut,
}

/// <summary>
/// Checks passwords (ASP.NET Core Identity's PBKDF2 hasher), counts failures and locks an account out for a while after
/// too many. A wrong user name and a wrong password answer alike, so names cannot be probed.
/// </summary>
public sealed class SignInService(WorkflowStore store, TimeProvider clock, IOptions<SignInOptions> options)
{
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    public async Task<(SignedInUser? User, SignInFailure? Failure, DateTimeOffset? LockedUntil)> SignInAsync(string userName, string password,
        CancellationToken cancellationToken)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userName, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (user is null || !user.IsActive || user.PasswordHash is null)
        {
            Hasher.VerifyHashedPassword(new UserRecord { Id = "", DisplayName = "", OrgUnitId = "" }, DummyHash, password);
            return (null, SignInFailure.WrongNameOrPassword, null);
        }

        if (user.LockedUntil is { } locked && locked > now) return (null, SignInFailure.LockedOut, new DateTimeOffset(locked, TimeSpan.Zero));

        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= options.Value.MaxFailedAttempts)
            {
                user.LockedUntil = now + options.Value.LockoutDuration;
                user.FailedSignIns = 0;
            }

            await db.SaveChangesAsync(cancellationToken);
            return user.LockedUntil is { } until && until > now
                ? (null, SignInFailure.LockedOut, new DateTimeOffset(until, TimeSpan.Zero))
                : (null, SignInFailure.WrongNameOrPassword, null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = Hasher.HashPassword(user, password);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Select(r => r.Role).Distinct().ToListAsync(cancellationToken);
        return (new SignedInUser(user.Id, user.DisplayName, user.OrgUnitId, roles), null, null);
    }

    public static string Hash(UserRecord user, string password) => Hasher.HashPassword(user, password);

    /// <summary>Verifying against a real hash for unknown users keeps their answer as slow as a known user's.</summary>
    private static readonly string DummyHash = Hasher.HashPassword(new UserRecord { Id = "", DisplayName = "", OrgUnitId = "" }, Guid.NewGuid().ToString());
}
