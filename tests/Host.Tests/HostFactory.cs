using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The real Host on a fresh SQLite file, started in-process. Without the demo organisation unless
/// <paramref name="seedDemo"/>: the tests add the units and users they need.
/// </summary>
public sealed class HostFactory(bool seedDemo = false) : WebApplicationFactory<Program>
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.db");
    private readonly string _frontEnd = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"frontend-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={_database}");
        builder.UseSetting("Demo:SeedOnFirstStart", seedDemo ? "true" : "false");
        builder.UseSetting("FrontEnd:SqliteFolder", _frontEnd);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_database + suffix)) File.Delete(_database + suffix);
        if (Directory.Exists(_frontEnd)) Directory.Delete(_frontEnd, recursive: true);
    }
}
