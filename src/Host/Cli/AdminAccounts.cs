using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Cli;

/// <summary>The <c>create-admin</c> verb: a platform administrator in the bureau, created or given a new password.</summary>
internal static class AdminAccounts
{
    private const string BureauId = "bureau";

    public static async Task<int> CreateAsync(IServiceProvider services, string userName, string password)
    {
        if (PasswordProblem(password) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        var clock = services.GetRequiredService<TimeProvider>();
        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var bureau = await db.OrgUnits.FirstOrDefaultAsync(u => u.Kind == OrgUnitKinds.Bureau);
        if (bureau is null)
        {
            bureau = new OrgUnitRecord { Id = BureauId, Name = "平顶山市政务服务和大数据管理局", Kind = OrgUnitKinds.Bureau, RegionCode = "410400", RegionName = "平顶山市" };
            db.OrgUnits.Add(bureau);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userName);
        if (user is null)
        {
            user = new UserRecord { Id = userName, DisplayName = userName, OrgUnitId = bureau.Id, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Users.Add(user);
        }

        user.IsActive = true;
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.PasswordHash = SignInService.Hash(user, password);
        foreach (var role in new[] { Roles.PlatformAdmin, Roles.WorkflowAdmin, Roles.Auditor })
            if (!await db.UserRoles.AnyAsync(r => r.UserId == userName && r.Role == role))
                db.UserRoles.Add(new UserRoleRecord { UserId = userName, Role = role, OrgUnitId = user.OrgUnitId });
        await db.SaveChangesAsync();
        Console.WriteLine($"管理员 {userName} 已就绪（{bureau.Name}：平台管理员、流程管理员、审计员）");
        return 0;
    }

    /// <summary>At least 10 characters with letters and digits: government systems' usual minimum (等保 2.0 identity rules).</summary>
    internal static string? PasswordProblem(string password) =>
        password.Length < 10 || !password.Any(char.IsLetter) || !password.Any(char.IsDigit)
            ? "密码至少 10 位，且须同时包含字母和数字。"
            : null;
}
