using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// Step 1: the units, people and roles of the demo organisation file. A unit or user that exists already is left
/// exactly as it is, roles included: a site that renamed a unit or took a role away keeps its change.
/// </summary>
public sealed class OrganizationSeedStep(WorkflowStore store, IUserPasswordHasher hasher, TimeProvider clock, IOptions<DemoOptions> options)
    : IDemoSeedStep
{
    /// <summary>The <see cref="DemoSeedItem.Kind"/> of a created unit and of a created user.</summary>
    public const string UnitItem = "单位", UserItem = "用户";

    public int Order => DemoSeedOrder.Organization;

    public string Name => "组织机构 (organization)";

    public async Task<DemoSeedStepResult> SeedAsync(CancellationToken cancellationToken)
    {
        var file = options.Value.OrganizationFile;
        var loaded = DemoOrganization.Load(file);
        if (loaded.Organization is not { } organization)
            throw new InvalidDataException($"演示组织机构文件“{file}”有误：{string.Join("；", loaded.Errors)}");

        var result = await store.InTransactionAsync<DemoSeedStepResult>(async (db, ct) =>
        {
            var units = (await db.OrgUnits.Select(u => u.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var users = (await db.Users.Select(u => u.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var regions = organization.Regions.ToDictionary(r => r.Code, r => r.Name);
            var created = new List<DemoSeedItem>();
            foreach (var unit in organization.Units.Where(u => !units.Contains(u.Id)))
            {
                db.OrgUnits.Add(new OrgUnitRecord
                {
                    Id = unit.Id, Name = unit.Name, Kind = unit.Kind, ParentId = unit.ParentId, RegionCode = unit.RegionCode,
                    RegionName = regions[unit.RegionCode], CreditCode = unit.CreditCode,
                });
                created.Add(new DemoSeedItem(UnitItem, unit.Id, unit.Name));
            }

            var newPeople = organization.People.Where(p => !users.Contains(p.User.Id)).ToList();
            var newIds = newPeople.Select(p => p.User.Id).ToList();
            // Roles left behind by a user the site deleted would collide with the ones added here.
            var leftoverRoles = (await db.UserRoles.Where(r => newIds.Contains(r.UserId)).ToListAsync(ct))
                .Select(r => (r.UserId, r.Role, r.OrgUnitId)).ToHashSet();
            var now = clock.GetUtcNow().UtcDateTime;
            // Every demo user has the same published password, so a salt of their own would protect nothing, while each
            // PBKDF2 hash costs about 0.1 s: one hash for the whole run keeps a first start from waiting ten seconds.
            var passwordHash = newPeople.Count == 0 ? null : hasher.Hash(DemoSeeder.Password);
            foreach (var (unit, person) in newPeople)
            {
                db.Users.Add(new UserRecord
                {
                    Id = person.Id, DisplayName = person.Name, OrgUnitId = unit.Id, Title = person.Title, Phone = person.Phone,
                    Email = person.Email, PasswordHash = passwordHash, CreatedAt = now, PasswordChangedAt = now,
                });
                foreach (var role in person.Roles.Where(r => !leftoverRoles.Contains((person.Id, r, unit.Id))))
                    db.UserRoles.Add(new UserRoleRecord { UserId = person.Id, Role = role, OrgUnitId = unit.Id });
                created.Add(new DemoSeedItem(UserItem, person.Id,
                    $"{person.Name}（{unit.Name}：{string.Join("、", person.Roles.Select(r => Roles.DisplayNames.GetValueOrDefault(r, r)))}）"));
            }

            var kept = organization.Units.Count + organization.People.Count() - created.Count;
            return new DemoSeedStepResult(Name, created, kept);
        }, cancellationToken);
        return result.Value;
    }
}
