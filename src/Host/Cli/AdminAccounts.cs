using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Cli;

/// <summary>
/// The <c>create-admin</c>, <c>create-security-admin</c> and <c>create-auditor</c> verbs: a bureau user for one of the three
/// separated duties (三员分立), created or given a new password. A user who already holds another of the three is refused.
/// The operator typing the password is its holder, so no change is forced at the first sign-in; the second factor is
/// (<c>SignIn:SecondFactorRoles</c>).
/// </summary>
internal static class AdminAccounts
{
    private const string BureauId = "bureau";

    /// <summary>The verbs and the roles each grants: the system administrator also edits workflow definitions.</summary>
    public static IReadOnlyDictionary<string, string[]> Verbs { get; } = new Dictionary<string, string[]>
    {
        ["create-admin"] = [Roles.PlatformAdmin, Roles.WorkflowAdmin],
        ["create-security-admin"] = [Roles.SecurityAdmin],
        ["create-auditor"] = [Roles.Auditor],
    };

    public static async Task<int> CreateAsync(IServiceProvider services, string verb, string userName, string password)
    {
        if (PasswordPolicy.Problem(userName, password) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return 2;
        }

        var grant = Verbs[verb];
        var clock = services.GetRequiredService<TimeProvider>();
        var configuration = services.GetRequiredService<IConfiguration>();
        var passwords = new PasswordPolicy(Options.Create(configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions()), clock);
        var log = services.GetRequiredService<SecurityLog>();
        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var held = await db.UserRoles.Where(r => r.UserId == userName).Select(r => r.Role).ToListAsync();
        if (Roles.DutyConflict(held.Concat(grant)) is { } conflict)
        {
            await log.WriteAsync(new SecurityEvent(SecurityEventKinds.RolesChanged, SecurityResults.Refused, "cli:operator", null, $"user:{userName}",
                $"{verb}: {conflict}"), CancellationToken.None);
            Console.Error.WriteLine($"{userName}：{conflict}");
            return 2;
        }

        var bureau = await db.OrgUnits.FirstOrDefaultAsync(u => u.Kind == OrgUnitKinds.Bureau);
        if (bureau is null)
        {
            bureau = new OrgUnitRecord { Id = BureauId, Name = "平顶山市政务服务和大数据管理局", Kind = OrgUnitKinds.Bureau, RegionCode = "410400", RegionName = "平顶山市" };
            db.OrgUnits.Add(bureau);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userName);
        var created = user is null;
        if (user is null)
        {
            user = new UserRecord { Id = userName, DisplayName = userName, OrgUnitId = bureau.Id, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Users.Add(user);
        }

        user.IsActive = true;
        await passwords.SetAsync(db, user, password, mustChange: false, CancellationToken.None);
        foreach (var role in grant.Where(r => !held.Contains(r)))
            db.UserRoles.Add(new UserRoleRecord { UserId = userName, Role = role, OrgUnitId = user.OrgUnitId });
        var names = string.Join("、", grant.Select(r => Roles.DisplayNames[r]));
        log.Add(db, new SecurityEvent(created ? SecurityEventKinds.UserCreated : SecurityEventKinds.PasswordReset, SecurityResults.Success, "cli:operator", null,
            $"user:{userName}", $"{verb}：{names}"));
        await db.SaveChangesAsync();
        Console.WriteLine($"{userName} 已就绪（{bureau.Name}：{names}）");
        return 0;
    }
}
