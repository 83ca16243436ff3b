using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Forms.Validators;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Demo;

/// <summary>The shipped demo organisation, seeded once per fixture into a fresh database of each provider.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class DemoSeederTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private static readonly Dictionary<string, string> Counties = new()
    {
        ["410402"] = "新华区", ["410403"] = "卫东区", ["410404"] = "石龙区", ["410411"] = "湛河区", ["410421"] = "宝丰县",
        ["410422"] = "叶县", ["410423"] = "鲁山县", ["410425"] = "郏县", ["410481"] = "舞钢市", ["410482"] = "汝州市",
    };

    private static readonly string[] DepartmentRoles = [Roles.Cataloger, Roles.DepartmentAdmin, Roles.DataContact, Roles.ProviderApprover];

    private IReadOnlyList<DemoSeedStepResult> _firstRun = [];

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddPdsDemo<TestPasswordHasher>(new ConfigurationBuilder().Build(),
            o => o.OrganizationFile = Path.Combine(ShippedData.RepositoryRoot, "definitions", "demo", "organization.json"));
    }

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        Assert.That(await Seeder.IsFirstStartAsync(CancellationToken.None), Is.True);
        _firstRun = await Seeder.SeedAsync(CancellationToken.None);
    }

    private DemoSeeder Seeder => Services.GetRequiredService<DemoSeeder>();

    private async Task<(List<OrgUnitRecord> Units, List<UserRecord> Users, List<UserRoleRecord> Roles)> ReadAsync()
    {
        await using var db = await Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        return (await db.OrgUnits.ToListAsync(), await db.Users.ToListAsync(), await db.UserRoles.ToListAsync());
    }

    [Test]
    public async Task The_first_run_creates_the_bureau_with_a_user_for_each_of_its_roles()
    {
        var (units, users, roles) = await ReadAsync();

        var bureau = units.Single(u => u.Kind == OrgUnitKinds.Bureau);
        Assert.That((bureau.Id, bureau.Name, bureau.RegionCode, bureau.RegionName), Is.EqualTo(("bureau", "平顶山市政务服务和大数据管理局", "410400", "平顶山市")));
        foreach (var role in new[] { Roles.PlatformAdmin, Roles.PlatformSupport, Roles.DataResourcesSection, Roles.WorkflowAdmin, Roles.Auditor })
            Assert.That(roles.Where(r => r.Role == role && r.OrgUnitId == bureau.Id).Select(r => users.Single(u => u.Id == r.UserId).OrgUnitId),
                Is.Not.Empty.And.All.EqualTo(bureau.Id), role);
        Assert.That(_firstRun.Single().Created, Has.Count.EqualTo(units.Count + users.Count));
    }

    [TestCase("平顶山市公安局")]
    [TestCase("平顶山市人力资源和社会保障局")]
    [TestCase("平顶山市民政局")]
    [TestCase("平顶山市卫生健康委员会")]
    [TestCase("平顶山市住房和城乡建设局")]
    [TestCase("平顶山市市场监督管理局")]
    [TestCase("国家税务总局平顶山市税务局")]
    [TestCase("平顶山市自然资源和规划局")]
    [TestCase("平顶山市住房公积金管理中心")]
    [TestCase("平顶山市医疗保障局")]
    public async Task Each_listed_municipal_department_is_created_with_a_user_for_every_department_role(string name)
    {
        var (units, users, roles) = await ReadAsync();

        var department = units.Single(u => u.Name == name);
        Assert.That((department.Kind, department.RegionCode), Is.EqualTo((OrgUnitKinds.MunicipalDepartment, "410400")));
        AssertOneUserPerRole(department, DepartmentRoles, users, roles);
    }

    [Test]
    public async Task Utilities_for_water_power_gas_heating_and_telecommunications_have_department_users()
    {
        var (units, users, roles) = await ReadAsync();

        var utilities = units.Where(u => u.Kind == OrgUnitKinds.Utility).ToList();
        foreach (var word in new[] { "供水", "供电", "燃气", "热力", "电信" }) Assert.That(utilities.Select(u => u.Name), Has.One.Contains(word));
        foreach (var utility in utilities) AssertOneUserPerRole(utility, DepartmentRoles, users, roles);
    }

    [Test]
    public async Task All_ten_counties_and_districts_have_a_data_authority_with_a_county_data_admin()
    {
        var (units, users, roles) = await ReadAsync();

        var authorities = units.Where(u => u.Kind == OrgUnitKinds.CountyAuthority).ToList();
        Assert.That(authorities.ToDictionary(u => u.RegionCode, u => u.RegionName), Is.EquivalentTo(Counties));
        foreach (var authority in authorities) AssertOneUserPerRole(authority, [Roles.CountyDataAdmin], users, roles);
    }

    [Test]
    public async Task Every_county_department_has_a_data_authority_in_its_region_and_a_contact()
    {
        var (units, users, roles) = await ReadAsync();

        var departments = units.Where(u => u.Kind == OrgUnitKinds.CountyDepartment).ToList();
        Assert.That(departments.Select(u => u.RegionCode).Distinct().Count(), Is.GreaterThanOrEqualTo(3), "county departments in several counties");
        foreach (var department in departments)
        {
            Assert.That(units, Has.One.Matches<OrgUnitRecord>(u => u.Kind == OrgUnitKinds.CountyAuthority && u.RegionCode == department.RegionCode), department.Id);
            AssertOneUserPerRole(department, [Roles.DataContact], users, roles);
        }
    }

    [Test]
    public async Task A_secondary_unit_belongs_to_a_municipal_department()
    {
        var (units, _, _) = await ReadAsync();

        var secondary = units.Where(u => u.Kind == OrgUnitKinds.SecondaryUnit).ToList();
        Assert.That(secondary, Is.Not.Empty);
        foreach (var unit in secondary)
            Assert.That(units.Single(u => u.Id == unit.ParentId).Kind, Is.EqualTo(OrgUnitKinds.MunicipalDepartment), unit.Id);
        Assert.That(units.Where(u => u.Kind != OrgUnitKinds.SecondaryUnit).Select(u => u.ParentId), Is.All.Null);
    }

    [Test]
    public async Task Every_unit_has_a_credit_code_that_passes_GB_32100()
    {
        var (units, _, _) = await ReadAsync();

        var validator = new UsccValidator();
        foreach (var unit in units)
            Assert.That(validator.Validate(unit.CreditCode ?? "", unit.Id).Message, Is.Null, unit.Id);
        Assert.That(units.Select(u => u.CreditCode).Distinct().Count(), Is.EqualTo(units.Count));
    }

    [Test]
    public async Task Every_role_is_held_by_a_demo_user_with_the_demo_password_and_fictitious_contacts()
    {
        var (_, users, roles) = await ReadAsync();

        Assert.That(roles.Select(r => r.Role).Distinct(), Is.EquivalentTo(Roles.DisplayNames.Keys));
        Assert.That(users.Select(u => u.PasswordHash), Is.All.EqualTo(TestPasswordHasher.Prefix + DemoSeeder.Password));
        Assert.That(users.Select(u => u.Phone), Is.All.Match("^139[0-9]{8}$"));
        Assert.That(users.Select(u => u.Email), Is.All.EndsWith("@example.gov.cn"));
        Assert.That(users.Select(u => u.Phone).Distinct().Count(), Is.EqualTo(users.Count));
        Assert.That(users.Select(u => u.CreatedAt), Is.All.EqualTo(Clock.GetUtcNow().UtcDateTime));
        Assert.That(users.Select(u => u.DisplayName), Has.None.AnyOf("胡冰华", "张成杰"), "never the people printed in the seeds");
    }

    [Test]
    public async Task A_second_run_creates_nothing()
    {
        var before = await ReadAsync();

        var second = await Seeder.SeedAsync(CancellationToken.None);

        var after = await ReadAsync();
        Assert.That(second.Single().Created, Is.Empty);
        Assert.That(second.Single().LeftAsTheyWere, Is.EqualTo(_firstRun.Single().Created.Count));
        Assert.That((after.Units.Count, after.Users.Count, after.Roles.Count), Is.EqualTo((before.Units.Count, before.Users.Count, before.Roles.Count)));
        Assert.That(await Seeder.IsFirstStartAsync(CancellationToken.None), Is.False);
    }

    [Test]
    public async Task A_sites_own_changes_win_and_only_what_is_missing_is_created_again()
    {
        await using (var db = await Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            (await db.OrgUnits.SingleAsync(u => u.Id == "cl")).Name = "平顶山市残疾人联合会（站点已改名）";
            (await db.Users.SingleAsync(u => u.Id == "gaj.contact")).Phone = "13900000000";
            db.UserRoles.Remove(await db.UserRoles.SingleAsync(r => r.UserId == "jyj.approver"));
            db.Users.Remove(await db.Users.SingleAsync(u => u.Id == "mzj.cataloger"));
            await db.SaveChangesAsync();
        }

        try
        {
            var rerun = await Seeder.SeedAsync(CancellationToken.None);

            Assert.That(rerun.Single().Created.Select(i => (i.Kind, i.Id)), Is.EqualTo(new[] { (OrganizationSeedStep.UserItem, "mzj.cataloger") }),
                "the deleted user comes back; its roles, left behind, are not doubled");
            var (units, users, roles) = await ReadAsync();
            Assert.That(units.Single(u => u.Id == "cl").Name, Does.EndWith("（站点已改名）"));
            Assert.That(users.Single(u => u.Id == "gaj.contact").Phone, Is.EqualTo("13900000000"));
            Assert.That(roles.Where(r => r.UserId == "jyj.approver"), Is.Empty, "a role the site took away stays away");
            Assert.That(roles.Where(r => r.UserId == "mzj.cataloger").Select(r => (r.Role, r.OrgUnitId)), Is.EqualTo(new[] { (Roles.Cataloger, "mzj") }));
        }
        finally
        {
            await using var db = await Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
            db.UserRoles.Add(new UserRoleRecord { UserId = "jyj.approver", Role = Roles.ProviderApprover, OrgUnitId = "jyj" });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Exactly one user of the unit holds each role, in that unit: an inbox for every role of the processes.</summary>
    private static void AssertOneUserPerRole(OrgUnitRecord unit, IEnumerable<string> expected, List<UserRecord> users, List<UserRoleRecord> roles)
    {
        foreach (var role in expected)
        {
            var holders = roles.Where(r => r.Role == role && r.OrgUnitId == unit.Id).Select(r => users.Single(u => u.Id == r.UserId)).ToList();
            Assert.That(holders, Has.Count.EqualTo(1), $"{unit.Id} {role}");
            Assert.That((holders[0].OrgUnitId, holders[0].IsActive), Is.EqualTo((unit.Id, true)), $"{unit.Id} {role}");
        }
    }
}
