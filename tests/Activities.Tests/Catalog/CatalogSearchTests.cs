using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Catalog;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogSearchTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    private const string GajCode = "11410400MB0A10013G";

    /// <summary>Five published entries of two departments, a draft never published, and a draft of a change.</summary>
    [OneTimeSetUp]
    public async Task SeedCatalogAsync()
    {
        await PublishAsync(TestOrganization.PublicSecurity, "10100101/0001", "居民身份证信息", 2, "database");
        await PublishAsync(TestOrganization.PublicSecurity, "10100101/0002", "户口簿登记信息", 2, "database");
        await PublishAsync(Mzj, "10200101/0001", "营业执照", 1, "database");
        var marriage = await PublishAsync(Mzj, "34100301/0001", "婚姻登记记录信息", 2, "spreadsheet");
        await PublishAsync(Mzj, "34100301/0002", "最低生活保障人员信息", 3, "document");
        Ok(await Catalog.CreateAsync(Mzj, EntryData("34100301/0003", "最低生活保障审批记录"), "mz.cataloger"));
        Ok(await Catalog.ReviseAsync(marriage, new CatalogRevision("补充补发登记日期"), "mz.cataloger"));
    }

    [Test]
    public async Task Everyone_sees_the_published_entries_only_ordered_by_resource_code()
    {
        var page = Ok(await Catalog.SearchAsync(new CatalogQuery()));

        Assert.That(page.Total, Is.EqualTo(5));
        Assert.That(page.Items.Select(i => i.ResourceCode), Is.EqualTo(new[]
        {
            "10100101/0001", "10100101/0002", "10200101/0001", "34100301/0001", "34100301/0002",
        }));
        Assert.That(page.Items.Select(i => i.Status), Has.All.EqualTo(CatalogStatus.Published));
    }

    [Test]
    public async Task Admins_see_every_version_and_may_filter_by_status()
    {
        var all = Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true }));
        Assert.That(all.Total, Is.EqualTo(7));
        Assert.That(all.Items.Where(i => i.ResourceCode == "34100301/0001").Select(i => (i.Number, i.Status)),
            Is.EqualTo(new[] { (2, CatalogStatus.Draft), (1, CatalogStatus.Published) }));

        var drafts = Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true, Status = CatalogStatus.Draft }));
        Assert.That(drafts.Items.Select(i => i.ResourceName), Is.EqualTo(new[] { "婚姻登记记录信息", "最低生活保障审批记录" }));

        var ignored = Ok(await Catalog.SearchAsync(new CatalogQuery { Status = CatalogStatus.Draft }));
        Assert.That(ignored.Items.Select(i => i.Status), Has.All.EqualTo(CatalogStatus.Published), "without AllVersions only published versions are listed");
    }

    [TestCase("最低生活保障", false, "最低生活保障人员信息")]
    [TestCase("最低生活保障", true, "最低生活保障人员信息,最低生活保障审批记录")]
    [TestCase("登记", false, "户口簿登记信息,婚姻登记记录信息")]
    [TestCase("不存在", false, "")]
    public async Task Names_are_searched_by_what_they_contain(string name, bool allVersions, string expected)
    {
        var page = Ok(await Catalog.SearchAsync(new CatalogQuery { Name = name, AllVersions = allVersions }));

        Assert.That(string.Join(",", page.Items.Select(i => i.ResourceName).Distinct()), Is.EqualTo(expected));
    }

    [Test]
    public async Task Entries_are_found_by_provider_department()
    {
        var page = Ok(await Catalog.SearchAsync(new CatalogQuery { ProviderOrgUnitId = TestOrganization.PublicSecurity }));

        Assert.That(page.Items.Select(i => (i.ResourceName, i.ProviderOrgUnitId)), Is.EqualTo(new[]
        {
            ("居民身份证信息", TestOrganization.PublicSecurity), ("户口簿登记信息", TestOrganization.PublicSecurity),
        }));
    }

    [TestCase("1", 3)]
    [TestCase("101", 2)]
    [TestCase("10100101", 2)]
    [TestCase("102", 1)]
    [TestCase("3", 2)]
    [TestCase("341003", 2)]
    [TestCase("2", 0)]
    public async Task Entries_are_found_by_a_prefix_of_their_classification(string classification, int expected)
    {
        var page = Ok(await Catalog.SearchAsync(new CatalogQuery { Classification = classification }));

        Assert.That(page.Total, Is.EqualTo(expected));
        Assert.That(page.Items.Select(i => i.ClassificationCode), Has.All.StartWith(classification));
    }

    [Test]
    public async Task Entries_are_found_by_share_type_and_format()
    {
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { ShareType = 1 })).Items.Select(i => i.ResourceName), Is.EqualTo(new[] { "营业执照" }));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { ShareType = 3 })).Items.Select(i => i.ResourceName),
            Is.EqualTo(new[] { "最低生活保障人员信息" }));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { FormatCategory = "spreadsheet" })).Items.Select(i => i.ResourceName),
            Is.EqualTo(new[] { "婚姻登记记录信息" }));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { ShareType = 2, FormatCategory = "database", Classification = "101" })).Total,
            Is.EqualTo(2));
    }

    [Test]
    public async Task Results_come_in_pages()
    {
        var pages = new List<CatalogPage<CatalogVersionSummary>>();
        for (var number = 1; number <= 3; number++) pages.Add(Ok(await Catalog.SearchAsync(new CatalogQuery { Page = number, PageSize = 2 })));

        Assert.That(pages.Select(p => p.Items.Count), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(pages.Select(p => p.Total), Has.All.EqualTo(5));
        var codes = pages.SelectMany(p => p.Items).Select(i => i.ResourceCode).ToList();
        Assert.That(codes, Is.Unique);
        Assert.That(codes, Has.Count.EqualTo(5));
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { Page = 4, PageSize = 2 })).Items, Is.Empty);
    }

    [TestCase(0, 20, null, "page_invalid")]
    [TestCase(1, 0, null, "page_size_invalid")]
    [TestCase(1, 101, null, "page_size_invalid")]
    [TestCase(1, 20, "4", "classification_invalid")]
    [TestCase(1, 20, "3a", "classification_invalid")]
    public async Task Bad_queries_are_refused(int page, int pageSize, string? classification, string code)
    {
        var error = Refused(await Catalog.SearchAsync(new CatalogQuery { Page = page, PageSize = pageSize, Classification = classification }));

        Assert.That(error.Code, Is.EqualTo(code));
    }

    private async Task<Guid> PublishAsync(string orgUnit, string code, string name, int shareType, string format)
    {
        var data = EntryData(code, name, shareType, format);
        if (orgUnit == TestOrganization.PublicSecurity)
        {
            data["providerName"] = "市公安局";
            data["providerCode"] = GajCode;
        }

        var id = Ok(await Catalog.CreateAsync(orgUnit, data, "cataloger")).EntryId;
        Ok(await Catalog.SubmitAsync(id, "cataloger"));
        Ok(await Catalog.RegisterAsync(id, "dept.admin"));
        Ok(await Catalog.PublishAsync(id, "dept.admin"));
        return id;
    }
}
