namespace PdsWorkflow.Activities.DataSharing;

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
