using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Benchmarks;

/// <summary>The engine wired as the Host wires it (without timers), on a fresh database of one provider.</summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private string? _integrity;

    private BenchEngine(TestDatabase database, ServiceProvider services, SqlCounter sql)
    {
        _database = database;
        Services = services;
        Sql = sql;
    }

    public ServiceProvider Services { get; }

    /// <summary>Counts the SQL commands of every context of this engine.</summary>
    public SqlCounter Sql { get; }
    public DatabaseProvider Provider => _database.Provider;
    public string ConnectionString => _database.ConnectionString;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<BenchEngine> CreateAsync(DatabaseProvider provider, string repositoryRoot)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflowEngine(database: o =>
        {
            o.Provider = provider;
            o.ConnectionString = database.ConnectionString;
        }, engine: o => o.PollDueBookmarks = false);
        // The signing key and the anchor outside the database, as in production; the outbox delivers the checkpoints.
        var integrity = Directory.CreateTempSubdirectory("pdsworkflow-bench-integrity-").FullName;
        services.PostConfigure<Workflows.Integrity.IntegrityOptions>(o =>
            (o.SigningKeyFile, o.PublicKeysPath, o.AnchorPath) = (Path.Combine(integrity, "signing.key"), Path.Combine(integrity, "public"), Path.Combine(integrity, "anchor")));
        Workflows.Outbox.OutboxServiceCollectionExtensions.AddOutbox(services);
        var sql = new SqlCounter();
        services.ConfigureDbContext<WorkflowDbContext>(b => b.AddInterceptors(sql));
        services.AddSingleton(new WorkingDayCalendar(HolidayNoticeFolder.Load(Path.Combine(repositoryRoot, "definitions", "calendars", "cn")).Notices));
        var provided = services.BuildServiceProvider();
        await provided.GetRequiredService<WorkflowStore>().MigrateAsync(CancellationToken.None);
        return new BenchEngine(database, provided, sql) { _integrity = integrity };
    }

    public static string Name(DatabaseProvider provider) => provider == DatabaseProvider.PostgreSql ? "PostgreSQL" : "SQLite";

    public async Task<WorkflowDbContext> ContextAsync() => await Get<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    public async Task PublishAsync(WorkflowDefinition definition)
    {
        var definitions = Get<WorkflowDefinitionStore>();
        var saved = await definitions.SaveDraftAsync(definition, "bench");
        if (!saved.IsSuccess) throw new InvalidOperationException(saved.ToString());
        var published = await definitions.PublishAsync(definition.DefinitionId, saved.Value.Version, "bench");
        if (!published.IsSuccess) throw new InvalidOperationException(published.ToString());
    }

    /// <summary>One unit and the given active users in it, so that "users" assignments resolve.</summary>
    public async Task SeedUsersAsync(IEnumerable<string> users)
    {
        await using var db = await ContextAsync();
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.OrgUnits.Add(new OrgUnitRecord { Id = "bench", Name = "基准测试单位", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        foreach (var user in users)
        {
            db.Users.Add(new UserRecord { Id = user, DisplayName = user, OrgUnitId = "bench", IsActive = true, CreatedAt = created });
            db.UserRoles.Add(new UserRoleRecord { UserId = user, Role = Roles.ProviderApprover, OrgUnitId = "bench" });
        }

        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _database.DisposeAsync();
        if (_integrity is not null && Directory.Exists(_integrity)) Directory.Delete(_integrity, recursive: true);
    }
}
