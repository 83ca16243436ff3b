using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Exchange;

/// <summary>
/// Runs the exchange steps for real: the product's database of the fixture's provider (the <c>exc_*</c> tables, the
/// catalog), the front-end databases on it (PostgreSQL schemas) or in per-department files (SQLite), and provider and
/// receiving folders on disk. The test organisation: 市公安局 (gaj) provides, 市人社局 (rsj) and 叶县卫健委 (yx-wjw,
/// whose county authority is yx-sjj) subscribe.
/// </summary>
public abstract class ExchangeTestBase(DatabaseProvider provider) : EngineTestBase(provider)
{
    protected const string ProviderCode = "11410400MB0A10013G";
    protected const int BatchSize = 10;
    protected const long MaxFileBytes = 64 * 1024;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "exchange", Guid.NewGuid().ToString("N"));
    private int _sequence;

    protected string FrontEndFolder => Path.Combine(_root, "frontend");
    protected string ProviderRoot => Path.Combine(_root, "provider");
    protected string ReceivingRoot => Path.Combine(_root, "receiving");
    protected CatalogService Catalog => Services.GetRequiredService<CatalogService>();
    protected IExchangeProgress Progress => Services.GetRequiredService<IExchangeProgress>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        ConfigureExchange(services);
        services.AddPdsActivities(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FrontEnd:SqliteFolder"] = FrontEndFolder,
            ["Exchange:ProviderRoot"] = ProviderRoot,
            ["Exchange:ReceivingRoot"] = ReceivingRoot,
            ["Exchange:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Exchange:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build());
    }

    /// <summary>Registrations that replace the module's adapters (added with TryAdd, so these win).</summary>
    protected virtual void ConfigureExchange(IServiceCollection services)
    {
    }

    [OneTimeSetUp]
    public async Task SetUpExchangeAsync()
    {
        foreach (var module in Services.GetServices<IModuleDatabase>()) await module.MigrateAsync(CancellationToken.None);
        await TestOrganization.SeedAsync(Services);
    }

    [OneTimeTearDown]
    public void RemoveFolders()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    protected int Next() => Interlocked.Increment(ref _sequence);

    /// <summary>A published, unconditionally shared entry of 市公安局 with <paramref name="items"/>, and a resource mounted on it.</summary>
    protected async Task<string> PublishAsync(string name, JsonArray? items, CatalogMountRequest mount)
    {
        var code = $"10100101/{Next() + 100:D4}";
        var data = new JsonObject
        {
            ["classCategory"] = "1", ["classItem"] = "01", ["classHeading"] = "001", ["classSubheading"] = "01",
            ["resourceName"] = name, ["resourceCode"] = code, ["providerName"] = "市公安局", ["providerCode"] = ProviderCode,
            ["abstract"] = "测试用的共享资源，供数据交换测试使用。", ["formatCategory"] = items is null ? "document" : "database", ["formatType"] = items is null ? "txt" : "oracle",
            ["shareType"] = 1, ["shareCondition"] = "用于业务协同。", ["shareMethodCategory"] = "platform",
            ["shareMethodType"] = mount.Kind == CatalogMountKind.Table ? "table" : "file",
            ["openToSociety"] = 0, ["updateCycle"] = "daily", ["publishDate"] = "2026-03-02",
        };
        if (items is not null) data["items"] = items;
        var draft = Ok(await Catalog.CreateAsync(TestOrganization.PublicSecurity, data, "gaj.cataloger"));
        Ok(await Catalog.SubmitAsync(draft.EntryId, "gaj.cataloger"));
        Ok(await Catalog.RegisterAsync(draft.EntryId, "gaj.admin"));
        Ok(await Catalog.PublishAsync(draft.EntryId, "gaj.admin"));
        Ok(await Catalog.MountAsync(draft.EntryId, mount, "gaj.admin"));
        return code;
    }

    protected static JsonObject Form(string code, string name, string resourceType, string requestedFields, string level = "municipal") => new()
    {
        ["providerDepartment"] = "市公安局", ["resourceName"] = name, ["resourceCode"] = code, ["resourceType"] = resourceType,
        ["requestedFields"] = requestedFields, ["demandLevel"] = level, ["userDepartmentName"] = "测试使用部门",
    };

    /// <summary>Runs the step alone, in a one-step definition started by <paramref name="applicant"/>.</summary>
    protected async Task<RunResult> ExchangeAsync(string type, JsonObject form, string level = "city", string applicant = "rsj.applicant",
        params (string Name, InputValue Value)[] extra)
    {
        var definition = new DefinitionBuilder($"exchange-{Guid.NewGuid():N}")
            .Add("start", "Start")
            .Add("exchange", type, [("subscription", DefinitionBuilder.Literal(form)), ("targetLevel", DefinitionBuilder.Literal(level)), .. extra])
            .Add("end", "End")
            .Chain("start", "exchange", "end")
            .Build();
        await PublishAsync(definition);
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definition.DefinitionId) { Initiator = applicant });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        return run.Value;
    }

    /// <summary>The case's incidents, with the stack trace of each, for a failure message.</summary>
    protected async Task<string> IncidentsAsync(Guid instanceId)
    {
        await using var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var incidents = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Incidents.Where(i => i.InstanceId == instanceId));
        return string.Join("\n", incidents.Select(i => $"{i.Status} {i.Message}\n{i.Details}"));
    }

    protected async Task RetryDueAsync()
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Runtime.TriggerDueBookmarksAsync();
    }

    /// <summary>Runs SQL in a department's front-end database: its schema on PostgreSQL (search_path), its file on SQLite.</summary>
    protected async Task ExecuteFrontEndAsync(string departmentCode, string sql)
    {
        await using var connection = await OpenFrontEndAsync(departmentCode);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<List<object?[]>> QueryFrontEndAsync(string departmentCode, string sql)
    {
        await using var connection = await OpenFrontEndAsync(departmentCode);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }

    private async Task<System.Data.Common.DbConnection> OpenFrontEndAsync(string departmentCode)
    {
        var schema = FrontEndNames.Schema(departmentCode);
        if (Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(FrontEndFolder);
            var sqlite = new SqliteConnection($"Data Source={Path.Combine(FrontEndFolder, schema + ".db")}");
            await sqlite.OpenAsync();
            return sqlite;
        }

        var postgres = new NpgsqlConnection(Services.GetRequiredService<IOptions<FrontEndOptions>>().Value.ConnectionString);
        await postgres.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"; SET search_path TO \"{schema}\"", postgres);
        await command.ExecuteNonQueryAsync();
        return postgres;
    }

    protected static T Ok<T>(WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => result.ToString() + " " + string.Join("; ", result.Error?.Errors.Select(e => $"{e.Input}: {e.Message}") ?? []));
        return result.Value;
    }
}
