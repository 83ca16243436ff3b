using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// The published resources of 市公安局 the process tests apply for: one per share type, with the tables, files and
/// interfaces mounted that the processes exchange or authorise. The platform routes on these records, so a test picks
/// the resource whose catalog entry says what the test needs.
/// </summary>
public static class ProcessCatalog
{
    /// <summary>Unconditional (无条件共享): a table and a folder of files.</summary>
    public const string Unconditional = "10100101/0101";

    /// <summary>Conditional (有条件共享): a table, files and the interface <see cref="ConditionalInterface"/>.</summary>
    public const string Conditional = "10100101/0102";

    /// <summary>Not shared (不予共享), with its legal basis.</summary>
    public const string NotShared = "10100101/0103";

    /// <summary>Unconditional with the interface <see cref="UnconditionalInterface"/>: the platform authorises it directly.</summary>
    public const string UnconditionalApi = "10100101/0104";

    /// <summary>Conditional, but a base library (基础库): the platform authorises its interface <see cref="BaseLibraryInterface"/> directly.</summary>
    public const string BaseLibraryApi = "10100101/0105";

    public const string ConditionalInterface = "居民身份信息核验接口";
    public const string UnconditionalInterface = "户籍人口统计接口";
    public const string BaseLibraryInterface = "法人信息核验接口";
    public const string Provider = TestOrganization.PublicSecurity;
    public const string ProviderName = "市公安局";

    /// <summary>The resource code of a resource of this share type (1, 2 or 3).</summary>
    public static string OfShareType(int shareType) => shareType switch
    {
        1 => Unconditional,
        2 => Conditional,
        _ => NotShared,
    };

    public static async Task SeedAsync(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<CatalogService>();
        await PublishAsync(catalog, Unconditional, "人口基本信息", 1, [Table("T_RKJBXX"), Files("/gaj/rkjbxx", "rkjbxx.csv")]);
        await PublishAsync(catalog, Conditional, "居民身份证信息", 2, [Table("T_JMSFZ"), Files("/gaj/jmsfz", "jmsfz.csv"), Api(ConditionalInterface)]);
        await PublishAsync(catalog, NotShared, "重点人员管控信息", 3, []);
        await PublishAsync(catalog, UnconditionalApi, "户籍人口统计", 1, [Api(UnconditionalInterface)]);
        await PublishAsync(catalog, BaseLibraryApi, "法人基础信息", 2, [Api(BaseLibraryInterface)], baseLibrary: true);
    }

    private static CatalogMountRequest Table(string name) => new(CatalogMountKind.Table) { TableName = name };

    private static CatalogMountRequest Files(string folder, string file) => new(CatalogMountKind.File) { Folder = folder, Files = [new CatalogMountedFile(file)] };

    /// <summary>An interface at a documentation address (RFC 5737): public, so the gateway's policy allows it, and never reachable.</summary>
    private static CatalogMountRequest Api(string name) =>
        new(CatalogMountKind.Api) { ApiName = name, Endpoint = $"https://203.0.113.10/api/{Uri.EscapeDataString(name)}" };

    private static async Task PublishAsync(CatalogService catalog, string code, string name, int shareType, IReadOnlyList<CatalogMountRequest> mounts,
        bool baseLibrary = false)
    {
        if (await catalog.FindByResourceCodeAsync(code) is not null) return;
        var created = Ok(await catalog.CreateAsync(Provider, Data(code, name, shareType, baseLibrary), "gaj.admin"));
        Ok(await catalog.SubmitAsync(created.EntryId, "gaj.admin"));
        Ok(await catalog.RegisterAsync(created.EntryId, "gaj.admin"));
        Ok(await catalog.PublishAsync(created.EntryId, "gaj.admin"));
        foreach (var mount in mounts) Ok(await catalog.MountAsync(created.EntryId, mount, "gaj.admin"));
    }

    private static JsonObject Data(string code, string name, int shareType, bool baseLibrary)
    {
        var data = new JsonObject
        {
            ["classCategory"] = "1",
            ["classItem"] = "01",
            ["classHeading"] = "001",
            ["classSubheading"] = "01",
            ["resourceName"] = name,
            ["resourceCode"] = code,
            ["providerName"] = ProviderName,
            ["providerCode"] = FormExamples.MunicipalAgencyCode,
            ["abstract"] = $"{name}（流程测试用）。",
            ["formatCategory"] = "database",
            ["formatType"] = "oracle",
            ["items"] = JsonNode.Parse("""[ { "name": "公民身份号码", "type": "C", "length": 18 }, { "name": "姓名", "type": "C", "length": 50 } ]"""),
            ["shareType"] = shareType,
            ["openToSociety"] = 0,
            ["updateCycle"] = "daily",
            ["publishDate"] = "2026-01-05",
        };
        if (shareType is 1 or 2)
        {
            data["shareCondition"] = "仅用于政务服务事项办理中的身份核验。";
            data["shareMethodCategory"] = "platform";
            data["shareMethodType"] = "table";
        }

        if (shareType == 2) data["shareScope"] = "全市政务部门";
        if (shareType is 2 or 3) data["shareLegalBasis"] = "《中华人民共和国个人信息保护法》第三十四条";
        if (baseLibrary) data["baseLibrary"] = true;
        return data;
    }

    private static T Ok<T>(PdsWorkflow.Workflows.Runtime.WorkflowResult<T> result)
    {
        if (!result.IsSuccess)
            throw new InvalidOperationException($"{result.Error!.Detail} " + string.Join("; ", result.Error.Errors.Select(e => $"{e.Input}: {e.Message}")));
        return result.Value;
    }
}
