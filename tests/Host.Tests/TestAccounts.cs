using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>The bureau, 市公安局 and users with one role each in either, written straight to a test Host's database.</summary>
internal static class TestAccounts
{
    public static async Task SeedAsync(HostFactory factory, string password, params (string Id, string Unit, string Role)[] users)
    {
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await using var db = await factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        if (!await db.OrgUnits.AnyAsync(u => u.Id == "bureau"))
            db.OrgUnits.Add(new OrgUnitRecord { Id = "bureau", Name = "市政务服务和大数据管理局", Kind = OrgUnitKinds.Bureau, RegionCode = "410400" });
        if (!await db.OrgUnits.AnyAsync(u => u.Id == "gaj"))
            db.OrgUnits.Add(new OrgUnitRecord { Id = "gaj", Name = "市公安局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        var hash = PasswordPolicy.Hash(password);
        foreach (var (id, unit, role) in users)
        {
            db.Users.Add(new UserRecord { Id = id, DisplayName = id, OrgUnitId = unit, CreatedAt = now, PasswordChangedAt = now, PasswordHash = hash });
            db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role, OrgUnitId = unit });
        }

        await db.SaveChangesAsync();
    }
}
