using System.Globalization;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange.Tables;

namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// Something for the demo subscriptions to exchange: 市市场监督管理局's 营业执照 entry gets a mounted table
/// <see cref="Table"/>, and that table, in the provider's front-end database, a few fictitious companies. The demo
/// application DEMO-SUB-002 (市人社局 subscribes to it, unconditional share) then copies real rows when
/// <c>bureau.support</c> completes its 平台交换 step. 市公安局's 居民身份证信息 (conditional, the browser tests'
/// cross-level subscription) gets <see cref="IdentityTable"/> with a few fictitious residents in the same way.
/// </summary>
public sealed class ExchangeSeedStep(CatalogService catalog, IFrontEndTables tables) : IDemoSeedStep
{
    public const string ResourceCode = "10200101/0001";
    public const string Table = "T_YYZZ";
    public const string IdentityResourceCode = "10100101/0001";
    public const string IdentityTable = "T_JMSFZ";
    public const string IdentityInterface = "居民身份信息核验接口";
    /// <summary>A documentation address (RFC 5737 TEST-NET-3): public, so the gateway's policy allows it, and never reachable.</summary>
    public const string IdentityEndpoint = "https://203.0.113.20/identity/verify";

    public int Order => DemoSeedOrder.Catalog + 50;

    public string Name => "交换源数据 (exchange)";

    public async Task<DemoSeedStepResult> SeedAsync(CancellationToken cancellationToken)
    {
        var created = new List<DemoSeedItem>();
        var existing = await SeedSourceAsync(ResourceCode, Table, Companies(), created, cancellationToken)
            + await SeedSourceAsync(IdentityResourceCode, IdentityTable, Residents(), created, cancellationToken)
            + await SeedInterfaceAsync(created, cancellationToken);
        return new DemoSeedStepResult(Name, created, existing);
    }

    /// <summary>The interface the demo interface requests ask for: mounted on 市公安局's 居民身份证信息 (its upstream is fictitious).</summary>
    private async Task<int> SeedInterfaceAsync(List<DemoSeedItem> created, CancellationToken cancellationToken)
    {
        var entry = await catalog.FindByResourceCodeAsync(IdentityResourceCode, cancellationToken);
        if (entry?.Published is null) return 0;
        if (entry.Mounts.Any(m => m.Kind == CatalogMountKind.Api && m.Name == IdentityInterface)) return 1;
        var mount = await catalog.MountAsync(entry.EntryId,
            new CatalogMountRequest(CatalogMountKind.Api) { ApiName = IdentityInterface, Endpoint = IdentityEndpoint, Description = "演示接口（上游地址为虚构）" },
            "system:demo", cancellationToken);
        if (!mount.IsSuccess) throw new InvalidDataException($"演示目录 {IdentityResourceCode} 挂接接口失败：{mount.Error?.Detail}");
        created.Add(new DemoSeedItem("挂接", IdentityResourceCode, IdentityInterface));
        return 0;
    }

    /// <summary>Mounts <paramref name="table"/> on the published entry and fills it; returns how many of the two already existed.</summary>
    private async Task<int> SeedSourceAsync(string resourceCode, string table, IEnumerable<Dictionary<string, object>> sourceRows,
        List<DemoSeedItem> created, CancellationToken cancellationToken)
    {
        var entry = await catalog.FindByResourceCodeAsync(resourceCode, cancellationToken);
        if (entry?.Published is not { } published) return 0;
        var existing = 0;
        if (entry.Mounts.Any(m => m.Kind == CatalogMountKind.Table))
        {
            existing++;
        }
        else
        {
            var mount = await catalog.MountAsync(entry.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = table, Description = "演示数据" },
                "system:demo", cancellationToken);
            if (!mount.IsSuccess) throw new InvalidDataException($"演示目录 {resourceCode} 挂接库表失败：{mount.Error?.Detail}");
            created.Add(new DemoSeedItem("挂接", resourceCode, $"{published.ResourceName} → {table}"));
        }

        var source = new FrontEndTable(AccountDepartment.CodeOf(entry.ProviderOrgUnitId), table);
        if (await tables.FindAsync(source, cancellationToken) is not null) return existing + 1;

        var columns = published.Items.Select(ExchangeColumn.From).OfType<ExchangeColumn>().ToList();
        var rows = sourceRows.Select(row => columns.Select(c => row.TryGetValue(c.Name, out var value) ? c.Convert(value) : null).ToArray()).ToList();
        await tables.LoadAsync(new TableLoad(source, columns, TableExchangeMode.Full, null), rows.ToAsyncEnumerable(), 1000, _ => Task.CompletedTask, cancellationToken);
        created.Add(new DemoSeedItem("交换源表", $"{source.Schema}.{table}", $"{published.ResourceName} {rows.Count} 行"));
        return existing;
    }

    /// <summary>Fictitious residents: made-up names, identity numbers with the demo body <c>DEMO</c> (not valid numbers).</summary>
    private static IEnumerable<Dictionary<string, object>> Residents()
    {
        string[] names = ["赵演示", "钱演示", "孙演示", "李演示"];
        for (var i = 0; i < names.Length; i++)
        {
            yield return new Dictionary<string, object>
            {
                ["姓名"] = names[i],
                ["性别"] = i % 2 == 0 ? "1" : "2",
                ["民族"] = "01",
                ["出生日期"] = new DateOnly(1985 + i, 5, 10 + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["住址"] = $"河南省平顶山市叶县演示街{i + 1}号",
                ["公民身份证号码"] = $"4104DEMO{i + 1:D10}",
                ["签发机关"] = "叶县公安局",
                ["有效期限"] = "2020.01.01-2040.01.01",
            };
        }
    }

    /// <summary>Fictitious companies: made-up names and people, codes with the demo body <c>DEMO</c>.</summary>
    private static IEnumerable<Dictionary<string, object>> Companies()
    {
        string[] names = ["平顶山市鹰城演示商贸有限公司", "平顶山市湛河演示物流有限公司", "叶县演示农业科技有限公司", "平顶山市新华演示餐饮店", "舞钢市演示建材有限公司"];
        string[] people = ["王建国", "李秀兰", "张志强", "刘丽娟", "陈伟"];
        for (var i = 0; i < names.Length; i++)
        {
            yield return new Dictionary<string, object>
            {
                ["统一社会信用代码"] = $"91410400DEMO{i + 1:D6}",
                ["名称"] = names[i],
                ["类型"] = i == 3 ? "个体工商户" : "有限责任公司",
                ["住所"] = $"河南省平顶山市演示路{(i + 1) * 11}号",
                ["法定代表人"] = people[i],
                ["注册资本"] = ((i + 1) * 50m).ToString(CultureInfo.InvariantCulture),
                ["成立日期"] = new DateOnly(2015 + i, 3, 1 + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["营业期限"] = "长期",
                ["经营范围"] = "演示经营范围：日用百货销售。",
                ["登记机关"] = "平顶山市市场监督管理局",
            };
        }
    }
}
