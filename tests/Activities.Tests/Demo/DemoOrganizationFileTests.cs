using System.Text.Json.Nodes;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Activities.Tests.Demo;

/// <summary>The checks a demo organisation file must pass before anything is seeded from it.</summary>
public sealed class DemoOrganizationFileTests
{
    private static string ShippedFile => Path.Combine(ShippedData.RepositoryRoot, "definitions", "demo", "organization.json");

    [Test]
    public void The_shipped_file_passes_every_check()
    {
        var loaded = DemoOrganization.Load(ShippedFile);

        Assert.That(loaded.Errors, Is.Empty);
        Assert.That(loaded.Organization!.People.Count(), Is.GreaterThan(100));
    }

    [Test]
    public void The_shipped_file_names_none_of_the_people_phones_or_addresses_printed_in_the_seeds()
    {
        var text = File.ReadAllText(ShippedFile);

        // 003 and 000 print two contacts, their phones and the bureau's mailbox: demo data must not reuse them.
        foreach (var real in new[] { "胡冰华", "张成杰", "13507650109", "13253397765", "3177000", "3177057", "2692830", "pdsdsjghk", "163.com" })
            Assert.That(text, Does.Not.Contain(real));
    }

    [Test]
    public void A_minimal_valid_organisation_loads()
    {
        Assert.That(LoadWith(_ => { }).Errors, Is.Empty);
    }

    [Test]
    public void A_credit_code_with_a_wrong_check_character_is_refused()
    {
        var code = Code("11410400", "DEM00002");
        var wrong = code[..17] + (code[17] == '0' ? '1' : '0');

        var loaded = LoadWith(o => o["units"]![1]!["creditCode"] = wrong);

        Assert.That(loaded.Organization, Is.Null);
        Assert.That(loaded.Errors, Has.One.Contains("单位 gaj 的统一社会信用代码校验位错误"));
    }

    [Test]
    public void A_secondary_unit_must_name_a_municipal_department_as_parent()
    {
        var loaded = LoadWith(o => o["units"]!.AsArray().Add(Unit("yx-sub", "SecondaryUnit", "410400", "DEM00009", parent: "yx-sjj")));

        Assert.That(loaded.Errors, Is.EqualTo(new[] { "单位 yx-sub 是二级机构，parentId 应为一个市直单位" }));
    }

    [Test]
    public void A_county_department_needs_a_data_authority_in_its_county()
    {
        var loaded = LoadWith(o =>
        {
            o["regions"]!.AsArray().Add(new JsonObject { ["code"] = "410482", ["name"] = "汝州市" });
            o["units"]!.AsArray().Add(Unit("rzs-gaj", "CountyDepartment", "410482", "DEM00009"));
        });

        Assert.That(loaded.Errors, Is.EqualTo(new[] { "单位 rzs-gaj 所在的 410482 没有县区数据管理部门（CountyAuthority）" }));
    }

    [Test]
    public void A_demo_user_may_not_hold_two_separated_duties()
    {
        var loaded = LoadWith(o =>
        {
            var admin = User("bureau.admin", "platform_admin");
            admin["roles"]!.AsArray().Add("auditor");
            o["units"]![0]!["users"] = new JsonArray(admin);
        });

        Assert.That(loaded.Errors, Is.EqualTo(new[] { "用户 bureau.admin：平台管理员、审计员须由不同人员担任（三员分立），同一用户不能兼任。" }));
    }

    [Test]
    public void A_role_must_fit_the_kind_of_unit_and_a_sign_in_name_starts_with_its_unit()
    {
        var loaded = LoadWith(o => o["units"]![1]!["users"] = new JsonArray(User("bureau.approver", "platform_admin")));

        Assert.That(loaded.Errors, Has.Count.EqualTo(2));
        Assert.That(loaded.Errors, Has.One.StartWith("用户 bureau.approver 的登录名应以所在单位的 id 加点开头"));
        Assert.That(loaded.Errors, Has.One.StartWith("用户 bureau.approver 的角色“platform_admin”不适用于 MunicipalDepartment 类单位"));
    }

    [Test]
    public void A_missing_field_or_a_misspelt_one_is_refused()
    {
        Assert.That(LoadWith(o => o["units"]![1]!.AsObject().Remove("creditCode")).Errors, Has.One.StartWith("演示组织机构文件无法读取"));
        Assert.That(LoadWith(o => o["units"]![1]!["parent"] = "bureau").Errors, Has.One.StartWith("演示组织机构文件无法读取"));
    }

    private static string Code(string authorityAndRegion, string body)
    {
        var first17 = authorityAndRegion + body + UsccValidator.ComputeOrganizationCheckCharacter(body);
        return first17 + UsccValidator.ComputeCheckCharacter(first17);
    }

    private static JsonObject Unit(string id, string kind, string region, string body, string? parent = null)
    {
        var unit = new JsonObject { ["id"] = id, ["name"] = id, ["kind"] = kind, ["regionCode"] = region, ["creditCode"] = Code("11" + region, body) };
        if (parent is not null) unit["parentId"] = parent;
        return unit;
    }

    private static JsonObject User(string id, string role) => new()
    {
        ["id"] = id, ["name"] = "测试", ["phone"] = "13900000001", ["email"] = $"{id}@example.gov.cn", ["roles"] = new JsonArray(role),
    };

    private static DemoOrganizationLoadResult LoadWith(Action<JsonObject> change)
    {
        var organization = new JsonObject
        {
            ["regions"] = new JsonArray(new JsonObject { ["code"] = "410400", ["name"] = "平顶山市" }, new JsonObject { ["code"] = "410422", ["name"] = "叶县" }),
            ["units"] = new JsonArray(Unit("bureau", "Bureau", "410400", "DEM00001"), Unit("gaj", "MunicipalDepartment", "410400", "DEM00002"),
                Unit("yx-sjj", "CountyAuthority", "410422", "DEM00003")),
        };
        organization["units"]![0]!["users"] = new JsonArray(User("bureau.admin", "platform_admin"));
        change(organization);
        var file = Path.Combine(Path.GetTempPath(), $"demo-organization-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, organization.ToJsonString());
        try
        {
            return DemoOrganization.Load(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
