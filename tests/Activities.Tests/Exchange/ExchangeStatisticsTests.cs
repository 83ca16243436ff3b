using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Activities.Tests.Interfaces;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Exports;

namespace PdsWorkflow.Activities.Tests.Exchange;

/// <summary>001 第二十二条: finished table and file exchanges appear in the statistics, their CSV and their workbook.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ExchangeStatisticsTests(DatabaseProvider provider) : ExchangeTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Test]
    public async Task Finished_table_and_file_exchanges_are_counted_per_department_in_the_report_the_csv_and_the_xlsx()
    {
        // Before the period: one table exchange, a subscription already in force when the period starts.
        Clock.Set(new DateTimeOffset(2026, 4, 28, 10, 0, 0, Beijing));
        var table = $"T_TJ_{Next()}";
        var tableCode = await PublishAsync("统计用人口信息", (JsonArray)JsonNode.Parse("""[ { "name": "编号", "type": "I" }, { "name": "姓名", "type": "C", "length": 20 } ]""")!,
            new CatalogMountRequest(CatalogMountKind.Table) { TableName = table });
        var types = Provider == DatabaseProvider.PostgreSql ? ("integer", "text") : ("INTEGER", "TEXT");
        await ExecuteFrontEndAsync("gaj", $"CREATE TABLE \"{table}\" (\"编号\" {types.Item1}, \"姓名\" {types.Item2})");
        await ExecuteFrontEndAsync("gaj", string.Join(";\n", Enumerable.Range(1, 7).Select(i => $"INSERT INTO \"{table}\" VALUES ({i}, '人员{i}')")));
        var earlier = await ExchangeAsync(ExchangeTable.Type, Form(tableCode, "统计用人口信息", "table", "编号、姓名"));
        Assert.That(earlier.Status, Is.EqualTo(WorkflowStatus.Finished), earlier.FaultMessage + await IncidentsAsync(earlier.InstanceId));

        // In the period (May 2026): the same table again for a new case, and a file exchange.
        Clock.Set(new DateTimeOffset(2026, 5, 6, 10, 0, 0, Beijing));
        var tableRun = await ExchangeAsync(ExchangeTable.Type, Form(tableCode, "统计用人口信息", "table", "编号、姓名"));
        Assert.That(tableRun.Status, Is.EqualTo(WorkflowStatus.Finished), tableRun.FaultMessage + await IncidentsAsync(tableRun.InstanceId));
        var folder = $"/gaj/tj{Next()}";
        Directory.CreateDirectory(Path.Combine(ProviderRoot, folder.TrimStart('/')));
        await File.WriteAllBytesAsync(Path.Combine(ProviderRoot, folder.TrimStart('/'), "汇总.csv"), new byte[300]);
        await File.WriteAllBytesAsync(Path.Combine(ProviderRoot, folder.TrimStart('/'), "说明.txt"), new byte[45]);
        var fileCode = await PublishAsync("统计用登记文件", null, new CatalogMountRequest(CatalogMountKind.File) { Folder = folder, Files = [new CatalogMountedFile("汇总.csv")] });
        var fileRun = await ExchangeAsync(ExchangeFiles.Type, Form(fileCode, "统计用登记文件", "file", "无"));
        Assert.That(fileRun.Status, Is.EqualTo(WorkflowStatus.Finished), fileRun.FaultMessage + await IncidentsAsync(fileRun.InstanceId));

        // After the period: not counted in May.
        Clock.Set(new DateTimeOffset(2026, 6, 2, 10, 0, 0, Beijing));
        Assert.That((await ExchangeAsync(ExchangeTable.Type, Form(tableCode, "统计用人口信息", "table", "编号、姓名"))).Status, Is.EqualTo(WorkflowStatus.Finished));

        var statistics = Services.GetRequiredService<ExchangeStatistics>();
        var report = await statistics.ReportAsync(new StatisticsPeriod(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31)));

        DepartmentStatisticsRow Row(string unit, ExchangeSide side, ExchangeKind kind) => report.Rows.Single(r => r.OrgUnitId == unit && r.Side == side && r.Kind == kind);
        var figures = (DepartmentStatisticsRow r) => (r.Granted, r.InForce, r.Uses, r.Refused, r.Rows, r.Files, r.Bytes);
        Assert.Multiple(() =>
        {
            // Tables: one subscription new in May, two in force at its end (April's and May's), one run of 7 rows in May.
            Assert.That(figures(Row(TestOrganization.PublicSecurity, ExchangeSide.Provider, ExchangeKind.Table)), Is.EqualTo((1, 2, 1L, 0L, 7L, 0L, 0L)));
            Assert.That(figures(Row(TestOrganization.HumanResources, ExchangeSide.Consumer, ExchangeKind.Table)), Is.EqualTo((1, 2, 1L, 0L, 7L, 0L, 0L)));
            Assert.That(figures(Row(TestOrganization.PublicSecurity, ExchangeSide.Provider, ExchangeKind.File)), Is.EqualTo((1, 1, 1L, 0L, 0L, 2L, 345L)));
            var consumerFiles = Row(TestOrganization.HumanResources, ExchangeSide.Consumer, ExchangeKind.File);
            Assert.That(figures(consumerFiles), Is.EqualTo((1, 1, 1L, 0L, 0L, 2L, 345L)));
            Assert.That((consumerFiles.OrgUnitName, consumerFiles.SideName, consumerFiles.KindName), Is.EqualTo(("市人力资源和社会保障局", "使用方", "文件")));
        });

        var april = await statistics.ReportAsync(new StatisticsPeriod(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30)));
        Assert.That(april.Rows.Select(r => (r.OrgUnitId, r.Side, r.Kind, r.Granted, r.InForce, r.Uses, r.Rows)),
            Is.EquivalentTo(new[]
            {
                (TestOrganization.PublicSecurity, ExchangeSide.Provider, ExchangeKind.Table, 1, 1, 1L, 7L),
                (TestOrganization.HumanResources, ExchangeSide.Consumer, ExchangeKind.Table, 1, 1, 1L, 7L),
            }));

        var (headers, rows) = ExchangeStatistics.Table(report);
        var csv = TabularFile.Csv(headers, rows);
        var lines = Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Does.Contain("市公安局,gaj,提供方,库表,1,2,1,0,7,0,0"));
        Assert.That(lines, Does.Contain("市人力资源和社会保障局,rsj,使用方,文件,1,1,1,0,0,2,345"));

        var sheet = Spreadsheets.ReadSheet(TabularFile.Xlsx("统计", headers, rows), "统计");
        Assert.That(sheet[0], Is.EqualTo(headers));
        Assert.That(sheet.Skip(1), Has.Some.EqualTo(new[] { "市公安局", "gaj", "提供方", "文件", "1", "1", "1", "0", "0", "2", "345" }));
        Assert.That(sheet.Skip(1), Has.Some.EqualTo(new[] { "市人力资源和社会保障局", "rsj", "使用方", "库表", "1", "2", "1", "0", "7", "0", "0" }));
        Assert.That(sheet.Count, Is.EqualTo(1 + report.Rows.Count), string.Join("; ", sheet.Select(r => string.Join(",", r)).Take(10).Select(s => s.ToString(CultureInfo.InvariantCulture))));
    }
}
