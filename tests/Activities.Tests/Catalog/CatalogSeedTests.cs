using System.Text.RegularExpressions;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Catalog;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed partial class CatalogSeedTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    [Test]
    public async Task The_seed_file_builds_published_entries_with_their_information_items_and_loading_it_again_creates_nothing()
    {
        var before = Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true })).Total;
        var first = await CatalogSeed.LoadAsync(Catalog, SeedFile);

        Assert.That(first.Failed, Is.Empty, () => string.Join("; ", first.Failed.Select(f => $"{f.ResourceCode}: {f.Error.Detail}")));
        Assert.That(first.Created, Has.Count.EqualTo(8));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true })).Total, Is.EqualTo(before + 8));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { PageSize = 100 })).Items.Select(i => i.ResourceCode), Is.SupersetOf(first.Created));
        var idCard = await Catalog.FindByResourceCodeAsync("10100101/0001") ?? throw new AssertionException("居民身份证信息 is missing");
        Assert.That((idCard.ProviderOrgUnitId, idCard.Published?.ResourceName, idCard.Published?.ShareType),
            Is.EqualTo((TestOrganization.PublicSecurity, "居民身份证信息", 2)));
        Assert.That(idCard.Published?.Items.Select(i => i.Name), Is.EqualTo(new[] { "姓名", "性别", "民族", "出生日期", "住址", "公民身份证号码", "签发机关", "有效期限" }));
        Assert.That((await Catalog.GetHistoryAsync(idCard.EntryId)).Select(h => (h.Action, h.Actor)), Is.EqualTo(new[]
        {
            (CatalogAction.Created, "system:seed"), (CatalogAction.Submitted, "system:seed"), (CatalogAction.Registered, "system:seed"),
            (CatalogAction.Published, "system:seed"),
        }));

        var second = await CatalogSeed.LoadAsync(Catalog, SeedFile);

        Assert.That((second.Created.Count, second.Existing.Count, second.Failed.Count), Is.EqualTo((0, 8, 0)));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true })).Total, Is.EqualTo(before + 8));
        Assert.That(await Catalog.GetHistoryAsync(idCard.EntryId), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Departments_map_to_org_units_and_an_unknown_one_is_reported_without_stopping_the_others()
    {
        var file = CatalogSeed.Read(SeedFile);
        var entries = file.Entries.Take(2).Select((entry, index) =>
        {
            var data = (System.Text.Json.Nodes.JsonObject)entry.Data.DeepClone();
            data["classSubheading"] = "09";
            data["resourceCode"] = $"10100109/000{index + 1}";
            return new CatalogSeedEntry(index == 0 ? "public-security" : "nowhere", data);
        }).ToList();

        var result = await CatalogSeed.LoadAsync(Catalog, file with { Entries = entries }, new CatalogSeedOptions
        {
            Departments = new Dictionary<string, string> { ["public-security"] = TestOrganization.PublicSecurity },
            Publish = false,
        });

        Assert.That(result.Created, Is.EqualTo(new[] { "10100109/0001" }));
        Assert.That(result.Failed.Select(f => (f.ResourceCode, f.ResourceName, f.Error.Code)), Is.EqualTo(new[] { ("10100109/0002", "户口簿登记信息", "provider_not_found") }));
        var created = await Catalog.FindByResourceCodeAsync("10100109/0001");
        Assert.That((created?.ProviderOrgUnitId, created?.InProgress?.Status, created?.Published), Is.EqualTo(((string?)TestOrganization.PublicSecurity, (CatalogStatus?)CatalogStatus.Draft, (CatalogVersionView?)null)));
        Assert.That(await Catalog.FindByResourceCodeAsync("10100109/0002"), Is.Null);
    }

    [Test]
    public void A_file_that_is_not_a_seed_file_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-seed-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "departments": [], "entries": [ { "department": "gaj" } ] }""");
        try
        {
            Assert.Throws<InvalidDataException>(() => CatalogSeed.Read(path));
            File.WriteAllText(path, "{ not json");
            Assert.Throws<InvalidDataException>(() => CatalogSeed.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void The_seed_file_holds_no_personal_contacts()
    {
        var text = File.ReadAllText(SeedFile);

        Assert.That(Mobile().IsMatch(text), Is.False, "no mobile numbers");
        Assert.That(Landline().IsMatch(text), Is.False, "no landline numbers with an area code");
        Assert.That(text, Does.Not.Contain("@"), "no e-mail addresses");
        Assert.That(CatalogSeed.Read(SeedFile).Departments.Select(d => d.Name), Is.EqualTo(new[]
        {
            "市公安局", "市人力资源和社会保障局", "市民政局", "市卫生健康委员会", "市住房和城乡建设局", "市市场监督管理局",
        }));
    }

    [GeneratedRegex(@"(?<![0-9A-Z])1[3-9][0-9]{9}(?![0-9A-Z])")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"0[0-9]{2,3}-[0-9]{7,8}")]
    private static partial Regex Landline();
}
