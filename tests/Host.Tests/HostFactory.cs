using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The real Host started in-process, on a fresh SQLite file (the constructor) or on a fresh database of either provider
/// (<see cref="StartAsync"/>: PostgreSQL on <c>PDS_TEST_POSTGRES</c>, see <see cref="TestDatabase"/>). Without the demo
/// organisation unless <paramref name="seedDemo"/>: the tests add the units and users they need.
/// </summary>
public sealed class HostFactory(bool seedDemo = false) : WebApplicationFactory<Program>
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
    private readonly string _frontEnd = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"frontend-{Guid.NewGuid():N}");
    private TestDatabase? _testDatabase;

    /// <summary>
    /// The Host on a fresh database of <paramref name="provider"/>, started. The Host seeds the demo only on SQLite
    /// (Demo:SeedOnFirstStart); on PostgreSQL the demo is seeded here by <see cref="DemoSeeder"/>, the code of the
    /// <c>seed-demo</c> verb.
    /// </summary>
    public static async Task<HostFactory> StartAsync(DatabaseProvider provider, bool seedDemo = false)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var factory = new HostFactory(seedDemo) { _testDatabase = database };
        try
        {
            if (seedDemo && provider != DatabaseProvider.Sqlite)
            {
                var seeder = factory.Services.GetRequiredService<DemoSeeder>();
                if (await seeder.IsFirstStartAsync(CancellationToken.None)) await seeder.SeedAsync(CancellationToken.None);
            }
            else
            {
                _ = factory.Services;
            }

            return factory;
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    public DatabaseProvider Provider => _testDatabase?.Provider ?? DatabaseProvider.Sqlite;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("Database:ConnectionString", _testDatabase?.ConnectionString ?? $"Data Source={_database}");
        builder.UseSetting("Demo:SeedOnFirstStart", seedDemo ? "true" : "false");
        builder.UseSetting("FrontEnd:SqliteFolder", _frontEnd);
        builder.UseSetting("Integrity:SigningKeyFile", Path.Combine(IntegrityFolder, "keys", "journal-signing.key"));
        builder.UseSetting("Integrity:PublicKeysPath", Path.Combine(IntegrityFolder, "keys", "public"));
        builder.UseSetting("Integrity:AnchorPath", Path.Combine(IntegrityFolder, "anchor"));
    }

    /// <summary>This Host's signing key, trusted public keys and anchor (<c>Integrity:*</c>).</summary>
    public string IntegrityFolder { get; } = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "host-integrity", Guid.NewGuid().ToString("N"));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_database + suffix)) File.Delete(_database + suffix);
        if (Directory.Exists(_frontEnd)) Directory.Delete(_frontEnd, recursive: true);
        if (Directory.Exists(IntegrityFolder)) Directory.Delete(IntegrityFolder, recursive: true);
        if (_testDatabase is not null) await _testDatabase.DisposeAsync();
    }
}
