namespace PdsWorkflow.Workflows.Organization;

/// <summary>The roles of domain.md, as stable identifiers used in definitions.</summary>
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
    };
}
