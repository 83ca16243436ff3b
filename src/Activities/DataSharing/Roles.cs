namespace PdsWorkflow.Activities.DataSharing;

/// <summary>
/// The platform's roles (domain.md, "Parties and roles"), as stable identifiers used in definitions and user records.
/// The engine treats a role as an opaque string; it reads the names through <see cref="PlatformRoleCatalog"/>.
/// </summary>
public static class Roles
{
    public const string PlatformAdmin = "platform_admin";
    public const string PlatformSupport = "platform_support";
    public const string DataResourcesSection = "data_resources_section";
    public const string Cataloger = "cataloger";
    public const string DepartmentAdmin = "department_admin";
    public const string DataContact = "data_contact";
    public const string ProviderApprover = "provider_approver";
    public const string CountyDataAdmin = "county_data_admin";
    public const string WorkflowAdmin = "workflow_admin";
    public const string Auditor = "auditor";

    /// <summary>安全管理员: roles, second-factor resets, unlocks (GB/T 22239-2019 8.1.4.2 访问控制, 三员分立).</summary>
    public const string SecurityAdmin = "security_admin";

    /// <summary>
    /// 三员分立 (GB/T 22239-2019 8.1.10.2 系统管理/审计管理/安全管理): system administration, security administration and
    /// audit are separate duties; no user may hold two of them.
    /// </summary>
    public static IReadOnlyList<string> SeparatedDuties { get; } = [PlatformAdmin, SecurityAdmin, Auditor];

    /// <summary>The refusal for a set of roles that joins separated duties, or null when it does not.</summary>
    public static string? DutyConflict(IEnumerable<string> roles)
    {
        var duties = SeparatedDuties.Where(roles.Contains).ToList();
        return duties.Count < 2 ? null
            : $"{string.Join("、", duties.Select(d => DisplayNames[d]))}须由不同人员担任（三员分立），同一用户不能兼任。";
    }

    public static IReadOnlyDictionary<string, string> DisplayNames { get; } = new Dictionary<string, string>
    {
        [PlatformAdmin] = "平台管理员",
        [PlatformSupport] = "平台支撑人员",
        [DataResourcesSection] = "数据资源科",
        [Cataloger] = "编目人员",
        [DepartmentAdmin] = "部门管理员",
        [DataContact] = "数据共享责任人",
        [ProviderApprover] = "数据提供方审批人",
        [CountyDataAdmin] = "县区数据管理员",
        [WorkflowAdmin] = "流程管理员",
        [Auditor] = "审计员",
        [SecurityAdmin] = "安全管理员",
    };
}
