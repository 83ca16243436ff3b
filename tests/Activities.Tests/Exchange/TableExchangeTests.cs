using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Activities.Exchange.Tables;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Exchange;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class TableExchangeTests(DatabaseProvider provider) : ExchangeTestBase(provider)
{
    private const string Requested = "公民身份号码、姓名、出生日期、身高、登记时间、在册、子女数";
    private static readonly string[] RequestedColumns = ["公民身份号码", "姓名", "出生日期", "身高", "登记时间", "在册", "子女数"];

    private readonly Probe _probe = new();

    protected override void ConfigureExchange(IServiceCollection services)
    {
        services.AddSingleton(_probe);
        services.AddSingleton<IFrontEndTables>(sp => new ProbedTables(sp.GetRequiredService<Probe>(),
            sp.GetRequiredService<IOptions<FrontEndOptions>>().Value.Provider == DatabaseProvider.PostgreSql
                ? ActivatorUtilities.CreateInstance<PostgresFrontEndTables>(sp)
                : ActivatorUtilities.CreateInstance<SqliteFrontEndTables>(sp), sp));
    }

    private static JsonArray Items() => (JsonArray)JsonNode.Parse("""
        [ { "name": "公民身份号码", "type": "C", "length": 18 },
          { "name": "姓名", "type": "C", "length": 50 },
          { "name": "性别", "type": "C", "length": 1 },
          { "name": "出生日期", "type": "D" },
          { "name": "身高", "type": "N", "length": 5 },
          { "name": "登记时间", "type": "T" },
          { "name": "在册", "type": "L" },
          { "name": "子女数", "type": "I" },
          { "name": "备注", "type": "M" } ]
        """)!;

    /// <summary>The provider's table in 市公安局's front-end database, with <paramref name="rows"/> people; returns its code and name.</summary>
    private async Task<(string Code, string Table)> ProviderTableAsync(int rows)
    {
        var table = $"T_RK_{Next()}";
        var code = await PublishAsync("人口基本信息", Items(), new CatalogMountRequest(CatalogMountKind.Table) { TableName = table });
        var types = Provider == DatabaseProvider.PostgreSql
            ? new[] { "varchar(18)", "text", "text", "date", "numeric(6,1)", "timestamp", "boolean", "integer", "text" }
            : ["TEXT", "TEXT", "TEXT", "TEXT", "NUMERIC", "TEXT", "INTEGER", "INTEGER", "TEXT"];
        var names = new[] { "公民身份号码", "姓名", "性别", "出生日期", "身高", "登记时间", "在册", "子女数", "备注" };
        await ExecuteFrontEndAsync("gaj", $"CREATE TABLE \"{table}\" ({string.Join(", ", names.Select((n, i) => $"\"{n}\" {types[i]}"))})");
        await InsertPeopleAsync(table, 1, rows);
        return (code, table);
    }

    private Task InsertPeopleAsync(string table, int from, int count) => ExecuteFrontEndAsync("gaj",
        string.Join(";\n", Enumerable.Range(from, count).Select(i =>
            $"INSERT INTO \"{table}\" VALUES ('41040219900101{i:D4}', '测试人员{i}', '{(i % 2 == 0 ? "女" : "男")}', " +
            $"'{new DateOnly(1990, 1, 1).AddDays(i):yyyy-MM-dd}', {(i % 7 == 0 ? "NULL" : (150 + i * 0.5m).ToString(CultureInfo.InvariantCulture))}, " +
            $"'2024-03-01 08:{i % 60:D2}:00', {(i % 3 == 0 ? "FALSE" : "TRUE")}, {i % 4}, '备注{i}')")));

    private static string Text(object? value) => value switch
    {
        null => "∅",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private async Task<List<string>> RowsAsync(string department, string table, IEnumerable<string> columns) =>
        (await QueryFrontEndAsync(department, $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\" ORDER BY \"公民身份号码\""))
        .Select(row => string.Join("|", row.Select(Text))).ToList();

    private async Task<List<string>> ColumnsOfAsync(string department, string table)
    {
        var found = await Services.GetRequiredService<IFrontEndTables>().FindAsync(new FrontEndTable(department, table), CancellationToken.None);
        return found?.Columns.ToList() ?? [];
    }

    private async Task<ExchangeRunView> RunOfAsync(Guid instanceId) => (await Progress.OfInstanceAsync(instanceId)).Single();

    [Test]
    public async Task A_full_exchange_creates_the_receiving_table_with_only_the_requested_items_and_equal_rows_and_checksums()
    {
        var (code, table) = await ProviderTableAsync(25);

        var run = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", Requested));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage + await IncidentsAsync(run.InstanceId));
        var receiving = $"gaj_{table.ToLowerInvariant()}";
        Assert.That(await ColumnsOfAsync("rsj", receiving), Is.EqualTo(RequestedColumns));
        Assert.That(await RowsAsync("rsj", receiving, RequestedColumns), Is.EqualTo(await RowsAsync("gaj", table, RequestedColumns)));
        var record = await RunOfAsync(run.InstanceId);
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo(ExchangeRunStatus.Succeeded));
            Assert.That((record.RowsTotal, record.RowsDone, record.Progress), Is.EqualTo(((long?)25, 25L, (double?)1)));
            Assert.That(record.Checksum, Does.Match("^[0-9a-f]{64}$").And.EqualTo(record.SourceChecksum));
            Assert.That((record.ProviderOrgUnitId, record.ConsumerOrgUnitId, record.TargetOrgUnitId, record.Target),
                Is.EqualTo((TestOrganization.PublicSecurity, TestOrganization.HumanResources, TestOrganization.HumanResources, $"fe_rsj.{receiving}")));
        });
        var journal = string.Join("\n", (await JournalAsync(run.InstanceId)).Select(e => $"{e.Message} {e.Outputs?.ToJsonString()}"));
        Assert.That(journal, Does.Contain("复制 25 行").And.Contain(record.Checksum!).And.Contain("两端一致"));
    }

    [Test]
    public async Task A_retry_after_a_crash_following_the_load_gives_the_same_rows_and_checksum_without_duplicates()
    {
        var (code, table) = await ProviderTableAsync(23);
        _probe.CrashAfterLoads = 1;

        var run = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", Requested));
        Assert.That(run.Status, Is.Not.EqualTo(WorkflowStatus.Finished));
        Assert.That(await IncidentsAsync(run.InstanceId), Does.Contain("injected"));
        var failed = await RunOfAsync(run.InstanceId);
        Assert.That(failed.Status, Is.EqualTo(ExchangeRunStatus.Failed));
        var receiving = $"gaj_{table.ToLowerInvariant()}";
        var afterCrash = await RowsAsync("rsj", receiving, RequestedColumns);

        await RetryDueAsync();

        Assert.That((await Queries.GetInstanceAsync(run.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));
        var source = await RowsAsync("gaj", table, RequestedColumns);
        Assert.That(afterCrash, Is.EqualTo(source), "the crash came after the load committed");
        Assert.That(await RowsAsync("rsj", receiving, RequestedColumns), Is.EqualTo(source));
        var record = await RunOfAsync(run.InstanceId);
        Assert.That((record.Status, record.RowsDone, record.Attempts), Is.EqualTo((ExchangeRunStatus.Succeeded, 23L, 2)));
        Assert.That(record.Checksum, Is.EqualTo(record.SourceChecksum));

        // The whole step again (a new case of the same subscription): same table, same rows, same checksum.
        var again = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", Requested));
        Assert.That(again.Status, Is.EqualTo(WorkflowStatus.Finished));
        Assert.That((await RunOfAsync(again.InstanceId)).Checksum, Is.EqualTo(record.Checksum));
        Assert.That(await RowsAsync("rsj", receiving, RequestedColumns), Is.EqualTo(source));
    }

    [Test]
    public async Task An_incremental_exchange_upserts_by_key_and_keeps_rows_the_provider_no_longer_has()
    {
        var (code, table) = await ProviderTableAsync(12);
        var incremental = new[] { ("mode", DefinitionBuilder.Literal(ExchangeTable.Incremental)), ("keyField", DefinitionBuilder.Literal("公民身份号码")) };
        var first = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", Requested), extra: incremental);
        Assert.That(first.Status, Is.EqualTo(WorkflowStatus.Finished), first.FaultMessage + await IncidentsAsync(first.InstanceId));

        await ExecuteFrontEndAsync("gaj", $"UPDATE \"{table}\" SET \"姓名\" = '改名人员' WHERE \"公民身份号码\" = '410402199001010002'");
        await ExecuteFrontEndAsync("gaj", $"DELETE FROM \"{table}\" WHERE \"公民身份号码\" = '410402199001010005'");
        await InsertPeopleAsync(table, 13, 3);
        var second = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", Requested), extra: incremental);

        Assert.That(second.Status, Is.EqualTo(WorkflowStatus.Finished), second.FaultMessage + await IncidentsAsync(second.InstanceId));
        var receiving = $"gaj_{table.ToLowerInvariant()}";
        var rows = await RowsAsync("rsj", receiving, RequestedColumns);
        var source = await RowsAsync("gaj", table, RequestedColumns);
        Assert.That(rows, Has.Count.EqualTo(15), "12 + 3 new, the deleted one kept, none twice");
        Assert.That(rows, Is.SupersetOf(source));
        Assert.That(rows.Single(r => r.StartsWith("410402199001010002", StringComparison.Ordinal)), Does.Contain("改名人员"));
        Assert.That(rows.Count(r => r.StartsWith("410402199001010005", StringComparison.Ordinal)), Is.EqualTo(1));
        var record = await RunOfAsync(second.InstanceId);
        Assert.That((record.Mode, record.RowsDone), Is.EqualTo((ExchangeTable.Incremental, 14L)));
        Assert.That(record.Checksum, Is.Not.EqualTo(record.SourceChecksum), "the receiving table keeps the deleted row");
    }

    [Test]
    public async Task A_county_department_subscribing_across_levels_receives_into_its_countys_front_end_database()
    {
        var (code, table) = await ProviderTableAsync(5);

        var run = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", "公民身份号码、姓名", "county"), "county", "yx.applicant");

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage + await IncidentsAsync(run.InstanceId));
        var receiving = $"yx_wjw_gaj_{table.ToLowerInvariant()}";
        Assert.That(await ColumnsOfAsync("yx_sjj", receiving), Is.EqualTo(new[] { "公民身份号码", "姓名" }));
        Assert.That(await RowsAsync("yx_sjj", receiving, ["公民身份号码", "姓名"]), Is.EqualTo(await RowsAsync("gaj", table, ["公民身份号码", "姓名"])));
        Assert.That(await ColumnsOfAsync("yx_wjw", receiving), Is.Empty);
        var record = await RunOfAsync(run.InstanceId);
        Assert.That((record.ConsumerOrgUnitId, record.TargetOrgUnitId, record.TargetLevel),
            Is.EqualTo((TestOrganization.YeCountyHealth, TestOrganization.YeCounty, "county")));
    }

    [Test]
    public async Task A_requested_field_outside_the_catalog_stops_the_step_with_an_incident_and_no_retry()
    {
        var (code, table) = await ProviderTableAsync(3);

        var run = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", "公民身份号码、婚姻状况"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("婚姻状况").And.Contain("不在"));
        Assert.That(await ColumnsOfAsync("rsj", $"gaj_{table.ToLowerInvariant()}"), Is.Empty);
    }

    [Test]
    public async Task An_entry_without_a_mounted_table_stops_the_step_with_an_incident()
    {
        var code = await PublishAsync("无库表资源", Items(), new CatalogMountRequest(CatalogMountKind.File) { Folder = $"/gaj/none{Next()}", Files = [new CatalogMountedFile("a.txt")] });

        var run = await ExchangeAsync(ExchangeTable.Type, Form(code, "无库表资源", "table", "姓名"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("尚未挂接库表"));
    }

    [Test]
    public async Task Progress_of_a_running_exchange_is_readable_batch_by_batch()
    {
        var (code, _) = await ProviderTableAsync(35);
        _probe.ProbeAfterRow = 2 * BatchSize + 1;

        var run = await ExchangeAsync(ExchangeTable.Type, Form(code, "人口基本信息", "table", Requested));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage);
        var seen = _probe.Seen ?? throw new AssertionException("the probe did not run");
        Assert.That(seen.Running.Select(r => (r.Status, r.RowsTotal, r.RowsDone)), Is.EqualTo(new[] { (ExchangeRunStatus.Running, (long?)35, (long)(2 * BatchSize)) }));
        Assert.That(seen.Running.Single().Progress, Is.EqualTo(20d / 35).Within(1e-9));
        if (Provider == DatabaseProvider.PostgreSql)
            Assert.That(seen.Stored, Is.EqualTo(2 * BatchSize), "persisted in exc_runs on a connection of its own");
        Assert.That((await RunOfAsync(run.InstanceId)).RowsDone, Is.EqualTo(35));
        Assert.That(await Progress.RunningAsync(), Is.Empty);
    }

    /// <summary>What the probe saw in the middle of a load.</summary>
    public sealed record Seen(IReadOnlyList<ExchangeRunView> Running, long? Stored);

    public sealed class Probe
    {
        public int CrashAfterLoads { get; set; }
        public int ProbeAfterRow { get; set; }
        public Seen? Seen { get; set; }
    }

    /// <summary>The real adapter, with a crash after a committed load and a look at the progress in the middle of one.</summary>
    private sealed class ProbedTables(Probe probe, IFrontEndTables inner, IServiceProvider services) : IFrontEndTables
    {
        public string Describe(FrontEndTable table) => inner.Describe(table);

        public Task<FoundTable?> FindAsync(FrontEndTable table, CancellationToken cancellationToken) => inner.FindAsync(table, cancellationToken);

        public Task<long> CountAsync(FrontEndTable table, CancellationToken cancellationToken) => inner.CountAsync(table, cancellationToken);

        public IAsyncEnumerable<object?[]> ReadAsync(FrontEndTable table, IReadOnlyList<ExchangeColumn> columns, CancellationToken cancellationToken) =>
            inner.ReadAsync(table, columns, cancellationToken);

        public DataFault? DataFaultOf(Exception exception) => inner.DataFaultOf(exception);

        public async Task<long> LoadAsync(TableLoad load, IAsyncEnumerable<object?[]> rows, int batchSize, Func<long, Task> batchDone, CancellationToken cancellationToken)
        {
            var written = await inner.LoadAsync(load, Watched(rows, cancellationToken), batchSize, batchDone, cancellationToken);
            if (probe.CrashAfterLoads > 0)
            {
                probe.CrashAfterLoads--;
                throw new IOException("injected: the node died after the load committed");
            }

            return written;
        }

        private async IAsyncEnumerable<object?[]> Watched(IAsyncEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var count = 0;
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                if (++count == probe.ProbeAfterRow && probe.ProbeAfterRow > 0)
                {
                    probe.ProbeAfterRow = 0;
                    probe.Seen = await LookAsync(cancellationToken);
                }

                yield return row;
            }
        }

        private async Task<Seen> LookAsync(CancellationToken cancellationToken)
        {
            var running = await services.GetRequiredService<IExchangeProgress>().RunningAsync(cancellationToken);
            long? stored = null;
            if (services.GetRequiredService<ExchangeDatabase>().Provider == DatabaseProvider.PostgreSql)
            {
                await using var db = services.GetRequiredService<ExchangeDatabase>().CreateContext();
                stored = await db.Runs.Where(r => r.Status == ExchangeRunStatus.Running).Select(r => (long?)r.RowsDone).SingleOrDefaultAsync(cancellationToken);
            }

            return new Seen(running, stored);
        }
    }
}
