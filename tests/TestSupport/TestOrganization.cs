using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Tests.Support;

/// <summary>
/// A small organisation for task tests: the bureau, two municipal departments (one with a secondary unit), a county
/// authority and a county department, and a review committee of five in the bureau. Fictitious people.
/// </summary>
public static class TestOrganization
{
    public const string Bureau = "bureau";
    public const string PublicSecurity = "gaj";
    public const string PublicSecuritySub = "gaj-hzzd";
    public const string HumanResources = "rsj";
    public const string YeCounty = "yx-sjj";
    public const string YeCountyHealth = "yx-wjw";
    public const string Committee = "review_committee";

    public static async Task SeedAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        if (await db.OrgUnits.AnyAsync(u => u.Id == Bureau)) return;
        db.OrgUnits.AddRange(
            Unit(Bureau, "市政务服务和大数据管理局", OrgUnitKinds.Bureau, "410400"),
            Unit(PublicSecurity, "市公安局", OrgUnitKinds.MunicipalDepartment, "410400"),
            Unit(PublicSecuritySub, "市公安局户政支队", OrgUnitKinds.SecondaryUnit, "410400", PublicSecurity),
            Unit(HumanResources, "市人力资源和社会保障局", OrgUnitKinds.MunicipalDepartment, "410400"),
            Unit(YeCounty, "叶县大数据管理局", OrgUnitKinds.CountyAuthority, "410422"),
            Unit(YeCountyHealth, "叶县卫生健康委员会", OrgUnitKinds.CountyDepartment, "410422"));
        User(db, "admin1", Bureau, Roles.PlatformAdmin);
        User(db, "admin2", Bureau, Roles.PlatformAdmin);
        User(db, "gaj.approver1", PublicSecurity, Roles.ProviderApprover);
        User(db, "gaj.approver2", PublicSecurity, Roles.ProviderApprover);
        User(db, "gaj.staff", PublicSecurity, Roles.DataContact);
        User(db, "sub.staff", PublicSecuritySub, Roles.DataContact);
        User(db, "rsj.applicant", HumanResources, Roles.DataContact);
        User(db, "rsj.approver", HumanResources, Roles.ProviderApprover);
        User(db, "yx.admin", YeCounty, Roles.CountyDataAdmin);
        User(db, "gaj.admin", PublicSecurity, Roles.DepartmentAdmin);
        User(db, "rsj.admin", HumanResources, Roles.DepartmentAdmin);
        User(db, "rsj.cataloger", HumanResources, Roles.Cataloger);
        User(db, "support1", Bureau, Roles.PlatformSupport);
        User(db, "section1", Bureau, Roles.DataResourcesSection);
        User(db, "yx.cataloger", YeCountyHealth, Roles.Cataloger);
        User(db, "yx.wjw.admin", YeCountyHealth, Roles.DepartmentAdmin);
        User(db, "yx.applicant", YeCountyHealth, Roles.DataContact);
        for (var i = 1; i <= 5; i++) User(db, $"member{i}", Bureau, Committee);
        User(db, "inactive", PublicSecurity, Roles.ProviderApprover, active: false);
        await db.SaveChangesAsync();
    }

    private static OrgUnitRecord Unit(string id, string name, string kind, string region, string? parent = null) =>
        new() { Id = id, Name = name, Kind = kind, RegionCode = region, ParentId = parent };

    private static void User(WorkflowDbContext db, string id, string unit, string role, bool active = true)
    {
        db.Users.Add(new UserRecord { Id = id, DisplayName = id, OrgUnitId = unit, IsActive = active, CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role, OrgUnitId = unit });
    }
}
