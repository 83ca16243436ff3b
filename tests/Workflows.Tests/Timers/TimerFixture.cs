using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Timers;

/// <summary>A fresh database of the fixture's provider; each test builds, starts and stops its own hosts on it.</summary>
public abstract class TimerFixture(DatabaseProvider provider)
{
    /// <summary>The sweep runs as each host starts; a long interval keeps it from resuming what a test expects the triggers to.</summary>
    protected static readonly (string, string) SweepOnlyAtStart = ("Timers:SweepInterval", "01:00:00");

    private TestDatabase? _database;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not set up.");

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _database = await TestDatabase.CreateAsync(provider);

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
