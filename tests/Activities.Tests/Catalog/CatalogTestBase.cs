using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.DataSharing.Forms;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Catalog;

/// <summary>
/// The engine on a fresh database of the fixture's provider, with the catalog module added and migrated, the test
/// organisation and the seed file's departments (with their credit codes) as org units.
/// </summary>
public abstract class CatalogTestBase(DatabaseProvider provider) : EngineTestBase(provider)
{
    /// <summary>市民政局, one of the seed file's departments; its credit code is recorded.</summary>
    protected const string Mzj = "mzj";

    protected const string MzjCode = "11410400MB0A1003X3";

    private int _sequence;

    protected CatalogService Catalog => Services.GetRequiredService<CatalogService>();

    protected static string SeedFile => Path.Combine(ShippedData.RepositoryRoot, "definitions", "catalog", "luohe-2020-batch1.json");

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        // The interface tests' upstream is this machine; 172.16.5.0/24 stands for a listed extranet range.
        services.AddCatalog(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:AllowedUpstreams:0"] = "127.0.0.1",
            ["Gateway:AllowedUpstreams:1"] = "172.16.5.0/24",
        }).Build());
        services.AddActivity<CatalogSubmitThenFail>().AddActivity<BreakTheBurst>();
    }

    [OneTimeSetUp]
    public async Task SetUpCatalogAsync()
    {
        foreach (var module in Services.GetServices<IModuleDatabase>()) await module.MigrateAsync(CancellationToken.None);
        await TestOrganization.SeedAsync(Services);
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        foreach (var department in CatalogSeed.Read(SeedFile).Departments)
        {
            if (await db.OrgUnits.FindAsync(department.Key) is { } known)
            {
                known.CreditCode = department.CreditCode;
                continue;
            }

            db.OrgUnits.Add(new OrgUnitRecord
            {
                Id = department.Key, Name = department.Name, Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400", CreditCode = department.CreditCode,
            });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>A resource code no other test of the fixture uses, under 类3 项41 目003 细目01 unless told.</summary>
    protected string NextCode(string classification = "34100301") => $"{classification}/{Interlocked.Increment(ref _sequence):D4}";

    /// <summary>A valid catalog entry of 市民政局: conditional sharing through front-end tables, not open to society.</summary>
    protected static JsonObject EntryData(string code, string name = "低保救济管理信息", int shareType = 2, string format = "database")
    {
        var parsed = ResourceCode.Parse(code, out _) ?? throw new ArgumentException($"{code} is not a resource code.", nameof(code));
        var data = new JsonObject
        {
            ["classCategory"] = parsed.Category.ToString(),
            ["classItem"] = parsed.Item,
            ["classHeading"] = parsed.Heading,
            ["resourceName"] = name,
            ["resourceCode"] = code,
            ["providerName"] = "市民政局",
            ["providerCode"] = MzjCode,
            ["abstract"] = "全市城乡最低生活保障对象的家庭成员、收入和救助金发放信息。",
            ["formatCategory"] = format,
            ["formatType"] = format == "database" ? "oracle" : "xls",
            ["items"] = JsonNode.Parse("""
                [ { "name": "身份证号", "type": "C", "length": 18 },
                  { "name": "姓名", "type": "C", "length": 50 },
                  { "name": "家庭主要成员月收入", "type": "N", "length": 12, "decimals": 2 },
                  { "name": "认定日期", "type": "D" } ]
                """),
            ["shareType"] = shareType,
            ["openToSociety"] = 0,
            ["updateCycle"] = "monthly",
            ["publishDate"] = "2026-03-02",
        };
        if (parsed.Subheading.Length > 0) data["classSubheading"] = parsed.Subheading;
        if (shareType is 1 or 2)
        {
            data["shareCondition"] = "用于社会救助资格核验和数据校核。";
            data["shareMethodCategory"] = "platform";
            data["shareMethodType"] = "table";
        }

        if (shareType == 2) data["shareScope"] = "民政、人力资源和社会保障、医疗保障部门";
        if (shareType is 2 or 3) data["shareLegalBasis"] = "《中华人民共和国个人信息保护法》第三十四条";
        return data;
    }

    protected async Task<CatalogVersionView> CreateDraftAsync(string? code = null, string name = "低保救济管理信息", int shareType = 2,
        string format = "database") =>
        Ok(await Catalog.CreateAsync(Mzj, EntryData(code ?? NextCode(), name, shareType, format), "mz.cataloger"));

    /// <summary>Compiled, reviewed, registered and published by the usual people.</summary>
    protected async Task<CatalogVersionView> PublishedAsync(string? code = null, string name = "低保救济管理信息", int shareType = 2,
        string format = "database")
    {
        var draft = await CreateDraftAsync(code, name, shareType, format);
        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(draft.EntryId, "mz.admin"));
        return Ok(await Catalog.PublishAsync(draft.EntryId, "mz.admin"));
    }

    protected static T Ok<T>(WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => result + " " + string.Join("; ", result.Error?.Errors.Select(e => $"{e.Input}: {e.Message}") ?? []));
        return result.Value;
    }

    protected static WorkflowError Refused<T>(WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.False, () => $"expected a refusal, got {result}");
        return result.Error!;
    }

    /// <summary>The form's field errors of a refusal as (field, code, message).</summary>
    protected static IReadOnlyList<(string? Field, string Code, string Message)> FieldErrors(WorkflowError error) =>
        error.Errors.Select(e => (e.Input, e.Code, e.Message)).ToList();

    protected async Task<CatalogEntryView> EntryAsync(Guid entryId) =>
        await Catalog.GetAsync(entryId) ?? throw new AssertionException($"no catalog entry {entryId}");
}
