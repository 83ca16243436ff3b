namespace PdsWorkflow.Workflows.Organization;

public sealed class OrgUnitRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>What sort of unit it is; the engine reads it only through its extension points (the platform's kinds: <c>OrgUnitKinds</c> in src/Activities/DataSharing).</summary>
    public required string Kind { get; set; }

    /// <summary>The parent department of a secondary unit.</summary>
    public string? ParentId { get; set; }

    /// <summary>Administrative division code: 410400 for the city, 410422 for 叶县…</summary>
    public required string RegionCode { get; set; }

    public string? RegionName { get; set; }

    /// <summary>统一社会信用代码.</summary>
    public string? CreditCode { get; set; }

    public bool IsActive { get; set; } = true;
}

public sealed class UserRecord
{
    /// <summary>The sign-in name.</summary>
    public required string Id { get; set; }

    public required string DisplayName { get; set; }
    public required string OrgUnitId { get; set; }
    public string? Title { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public bool IsActive { get; set; } = true;
    public string? PasswordHash { get; set; }
    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }

    /// <summary>Lockouts since the last successful sign-in: each one lasts longer (progressive lockout, docs/security.md).</summary>
    public int Lockouts { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Changes whenever the user's sessions must end (sign-out, password change or reset, role change, disabling, a second
    /// factor reset); a session carries the stamp it was signed in with and is refused once it differs. Null for rows that
    /// predate it, which sessions then carry as empty.
    /// </summary>
    public string? SecurityStamp { get; set; }

    /// <summary>When the current password was set; with <c>SignIn:PasswordMaxAge</c> it tells when it expires.</summary>
    public DateTime? PasswordChangedAt { get; set; }

    /// <summary>Set when someone other than the holder chose the password (an administrator's creation or reset, an issued account).</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>The TOTP secret (RFC 6238), encrypted with the data-protection key ring; null when no second factor is enrolled.</summary>
    public string? TotpSecret { get; set; }

    /// <summary>When the second factor was confirmed; a secret without it is an enrolment in progress.</summary>
    public DateTime? TotpEnabledAt { get; set; }

    /// <summary>The last 30-second step a code was accepted for: a code is good once (RFC 6238 §5.2).</summary>
    public long? TotpLastStep { get; set; }

    /// <summary>Ends every session of the user at its next request, on every node: a session carries the stamp it began with.</summary>
    public void RevokeSessions() => SecurityStamp = NewSecurityStamp();

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

/// <summary>A password the user had before (its hash), so that the last few cannot be chosen again.</summary>
public sealed class PasswordHistoryRecord
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public required string PasswordHash { get; set; }
    public DateTime ChangedAt { get; set; }
}

/// <summary>A role a user holds, in the user's own unit unless <see cref="OrgUnitId"/> names another.</summary>
public sealed class UserRoleRecord
{
    public required string UserId { get; set; }
    public required string Role { get; set; }
    public required string OrgUnitId { get; set; }
}
