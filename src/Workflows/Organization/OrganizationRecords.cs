namespace PdsWorkflow.Workflows.Organization;

/// <summary>Kinds of organisation unit on the platform (domain.md, "Parties and roles").</summary>
public static class OrgUnitKinds
{
    /// <summary>市政务服务和大数据管理局: builds and runs the platform.</summary>
    public const string Bureau = "Bureau";

    /// <summary>市直单位.</summary>
    public const string MunicipalDepartment = "MunicipalDepartment";

    /// <summary>二级机构: acts through its parent department.</summary>
    public const string SecondaryUnit = "SecondaryUnit";

    /// <summary>县级政务数据管理部门: gatekeeper for its county's departments.</summary>
    public const string CountyAuthority = "CountyAuthority";

    /// <summary>县区政务部门.</summary>
    public const string CountyDepartment = "CountyDepartment";

    /// <summary>水、电、气、暖、通讯 enterprises.</summary>
    public const string Utility = "Utility";
}

public sealed class OrgUnitRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
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
    public DateTime CreatedAt { get; set; }
}

/// <summary>A role a user holds, in the user's own unit unless <see cref="OrgUnitId"/> names another.</summary>
public sealed class UserRoleRecord
{
    public required string UserId { get; set; }
    public required string Role { get; set; }
    public required string OrgUnitId { get; set; }
}
