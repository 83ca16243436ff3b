using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Activities.Demo;

/// <summary>The rules the demo organisation keeps, so that every process has someone in the right place to act.</summary>
internal static class DemoOrganizationChecks
{
    private const string City = "410400";

    private static readonly string[] Kinds =
    [
        OrgUnitKinds.Bureau, OrgUnitKinds.MunicipalDepartment, OrgUnitKinds.SecondaryUnit, OrgUnitKinds.CountyAuthority,
        OrgUnitKinds.CountyDepartment, OrgUnitKinds.Utility,
    ];

    private static readonly string[] BureauRoles = [Roles.PlatformAdmin, Roles.PlatformSupport, Roles.DataResourcesSection, Roles.WorkflowAdmin, Roles.Auditor, Roles.SecurityAdmin];

    private static readonly string[] DepartmentRoles = [Roles.Cataloger, Roles.DepartmentAdmin, Roles.DataContact, Roles.ProviderApprover];

    private static readonly UsccValidator Uscc = new();
    private static readonly MobileValidator Mobile = new();
    private static readonly EmailValidator Email = new();

    public static IReadOnlyList<string> Check(DemoOrganization organization)
    {
        var errors = new List<string>();
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var region in organization.Regions)
            if (!regions.TryAdd(region.Code, region.Name)) errors.Add($"行政区划码 {region.Code} 重复");
        var units = new Dictionary<string, DemoUnit>(StringComparer.Ordinal);
        foreach (var unit in organization.Units)
            if (!units.TryAdd(unit.Id, unit)) errors.Add($"单位 {unit.Id} 重复");

        if (organization.Units.Count(u => u.Kind == OrgUnitKinds.Bureau) != 1) errors.Add("应有且只有一个 Bureau（市政务服务和大数据管理局）");
        foreach (var duplicate in organization.Units.GroupBy(u => u.CreditCode).Where(g => g.Count() > 1))
            errors.Add($"统一社会信用代码 {duplicate.Key} 重复：{string.Join("、", duplicate.Select(u => u.Id))}");

        foreach (var unit in organization.Units) CheckUnit(unit, units, regions, errors);

        var userIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (unit, user) in organization.People)
        {
            if (!userIds.Add(user.Id)) errors.Add($"用户 {user.Id} 重复");
            CheckUser(unit, user, errors);
        }

        return errors;
    }

    private static void CheckUnit(DemoUnit unit, Dictionary<string, DemoUnit> units, Dictionary<string, string> regions, List<string> errors)
    {
        var label = $"单位 {unit.Id}";
        if (!Kinds.Contains(unit.Kind)) errors.Add($"{label} 的类型“{unit.Kind}”不是 {string.Join("、", Kinds)} 之一");
        if (!regions.ContainsKey(unit.RegionCode)) errors.Add($"{label} 的行政区划码 {unit.RegionCode} 不在 regions 中");
        if (Uscc.Validate(unit.CreditCode, $"{label} 的统一社会信用代码") is { IsValid: false } credit) errors.Add(credit.Message!);

        var isCounty = unit.Kind is OrgUnitKinds.CountyAuthority or OrgUnitKinds.CountyDepartment;
        if (isCounty == (unit.RegionCode == City))
            errors.Add(isCounty ? $"{label} 是县区单位，行政区划码不能是市本级 {City}" : $"{label} 是市级单位，行政区划码应为 {City}");

        if (unit.Kind == OrgUnitKinds.SecondaryUnit)
        {
            // 000 §五: a secondary unit acts through its municipal department, so it must name one.
            if (unit.ParentId is null || !units.TryGetValue(unit.ParentId, out var parent) || parent.Kind != OrgUnitKinds.MunicipalDepartment)
                errors.Add($"{label} 是二级机构，parentId 应为一个市直单位");
        }
        else if (unit.ParentId is not null)
        {
            errors.Add($"{label} 不是二级机构，不应有 parentId");
        }

        // 000 §五: a county department applies through its county's data authority, which must exist.
        if (unit.Kind == OrgUnitKinds.CountyDepartment
            && !units.Values.Any(u => u.Kind == OrgUnitKinds.CountyAuthority && u.RegionCode == unit.RegionCode))
            errors.Add($"{label} 所在的 {unit.RegionCode} 没有县区数据管理部门（CountyAuthority）");
    }

    private static void CheckUser(DemoUnit unit, DemoUser user, List<string> errors)
    {
        var label = $"用户 {user.Id}";
        if (!user.Id.StartsWith(unit.Id + ".", StringComparison.Ordinal)) errors.Add($"{label} 的登录名应以所在单位的 id 加点开头（{unit.Id}.…）");
        if (Mobile.Validate(user.Phone, $"{label} 的手机号") is { IsValid: false } phone) errors.Add(phone.Message!);
        if (Email.Validate(user.Email, $"{label} 的邮箱") is { IsValid: false } email) errors.Add(email.Message!);
        if (user.Roles.Count == 0) errors.Add($"{label} 没有角色");

        var allowed = unit.Kind switch
        {
            OrgUnitKinds.Bureau => BureauRoles,
            OrgUnitKinds.CountyAuthority => [Roles.CountyDataAdmin, .. DepartmentRoles],
            _ => DepartmentRoles,
        };
        foreach (var role in user.Roles.Where(r => !allowed.Contains(r)))
            errors.Add($"{label} 的角色“{role}”不适用于 {unit.Kind} 类单位（可用：{string.Join("、", allowed)}）");
        if (Roles.DutyConflict(user.Roles) is { } conflict) errors.Add($"{label}：{conflict}");
    }
}
