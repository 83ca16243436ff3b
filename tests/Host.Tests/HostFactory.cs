using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The real Host started in-process, on a fresh SQLite file (the constructor) or on a fresh database of either provider
/// (<see cref="StartAsync"/>: PostgreSQL on <c>PDS_TEST_POSTGRES</c>, see <see cref="TestDatabase"/>). Without the demo
/// organisation unless <paramref name="seedDemo"/>: the tests add the units and users they need. Uploaded files go to a
/// folder of its own (<see cref="AttachmentsPath"/>); <paramref name="settings"/> are added to the configuration.
/// </summary>
public sealed class HostFactory(bool seedDemo = false, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
    private readonly string _frontEnd = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"frontend-{Guid.NewGuid():N}");

    public string AttachmentsPath { get; } = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"attachments-{Guid.NewGuid():N}");

    /// <summary>The files in <see cref="AttachmentsPath"/>, temporary ones included.</summary>
    public string[] StoredFiles() => Directory.Exists(AttachmentsPath) ? Directory.GetFiles(AttachmentsPath, "*", SearchOption.AllDirectories) : [];
    private TestDatabase? _testDatabase;

    /// <summary>
    /// The Host on a fresh database of <paramref name="provider"/>, started. The Host seeds the demo only on SQLite
    /// (Demo:SeedOnFirstStart); on PostgreSQL the demo is seeded here by <see cref="DemoSeeder"/>, the code of the
    /// <c>seed-demo</c> verb.
    /// </summary>
    public static async Task<HostFactory> StartAsync(DatabaseProvider provider, bool seedDemo = false, IReadOnlyDictionary<string, string?>? settings = null,
        Action<HostFactory>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var factory = new HostFactory(seedDemo, settings) { _testDatabase = database };
        configure?.Invoke(factory);
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

    public DatabaseProvider Provider => _sharedWith?.Provider ?? _testDatabase?.Provider ?? DatabaseProvider.Sqlite;

    private HostFactory? _sharedWith;

    /// <summary>The clock every service of this Host uses (a <c>FakeTimeProvider</c> in tests of time windows); the system's when null.</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>
    /// Settings on top of the defaults. The tests sign in far more often from one address than a person does: the per-source
    /// sign-in limit is raised here and tested where it is lowered (<see cref="SignInRulesTests"/>).
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = With(new() { ["SignIn:SourcePermitLimit"] = "1000" }, settings);

    private static Dictionary<string, string?> With(Dictionary<string, string?> defaults, IReadOnlyDictionary<string, string?>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) defaults[key] = value;
        return defaults;
    }

    private string ConnectionString => _sharedWith?.ConnectionString ?? _testDatabase?.ConnectionString ?? $"Data Source={_database}";

    /// <summary>A second Host node on the same database as <paramref name="first"/> (which keeps owning and dropping it).</summary>
    public static HostFactory SecondNodeOf(HostFactory first)
    {
        ArgumentNullException.ThrowIfNull(first);
        var second = new HostFactory { _sharedWith = first };
        foreach (var (key, value) in first.Settings) second.Settings[key] = value;
        return second;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Demo:SeedOnFirstStart", seedDemo ? "true" : "false");
        builder.UseSetting("FrontEnd:SqliteFolder", _frontEnd);
        builder.UseSetting("Attachments:Path", AttachmentsPath);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, LoopbackClient>());
        if (Clock is { } clock) builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(clock)));
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
        if (Directory.Exists(AttachmentsPath)) Directory.Delete(AttachmentsPath, recursive: true);
        if (Directory.Exists(IntegrityFolder)) Directory.Delete(IntegrityFolder, recursive: true);
        if (_testDatabase is not null) await _testDatabase.DisposeAsync();
    }
}

/// <summary>The in-memory test server gives requests no client address; a real one always has one. The tests' clients are on loopback.</summary>
internal sealed class LoopbackClient : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return following(context);
        });
        next(app);
    };
}
