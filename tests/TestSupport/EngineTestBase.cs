using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Tests.Support;

/// <summary>
/// Runs a fixture's tests against a real database of the given provider, with the engine wired as the Host wires it
/// and a manual clock. Derived fixtures carry <c>[TestFixture(DatabaseProvider.Sqlite)]</c> and
/// <c>[TestFixture(DatabaseProvider.PostgreSql)]</c> so every scenario runs on both.
/// </summary>
public abstract class EngineTestBase(DatabaseProvider provider)
{
    private TestDatabase? _database;
    private ServiceProvider? _services;

    protected DatabaseProvider Provider { get; } = provider;

    /// <summary>This fixture's signing key, trusted public keys and anchor (<c>Integrity:*</c>), outside the database as in production.</summary>
    protected string IntegrityFolder { get; } = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "integrity", Guid.NewGuid().ToString("N"));
    protected ManualClock Clock { get; } = new();
    protected IServiceProvider Services => _services ?? throw new InvalidOperationException("Not set up.");
    protected WorkflowRuntime Runtime => Services.GetRequiredService<WorkflowRuntime>();
    protected WorkflowQueries Queries => Services.GetRequiredService<WorkflowQueries>();
    protected WorkflowDefinitionStore Definitions => Services.GetRequiredService<WorkflowDefinitionStore>();
    protected JournalVerifier Verifier => Services.GetRequiredService<JournalVerifier>();
    protected Workflows.Tasks.TaskService Tasks => Services.GetRequiredService<Workflows.Tasks.TaskService>();
    protected Workflows.Tasks.TaskQueries Inbox => Services.GetRequiredService<Workflows.Tasks.TaskQueries>();

    [OneTimeSetUp]
    public async Task SetUpDatabaseAsync()
    {
        _database = await TestDatabase.CreateAsync(Provider);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddWorkflowEngine(database: o =>
        {
            o.Provider = Provider;
            o.ConnectionString = _database.ConnectionString;
        }, engine: ConfigureEngine);
        ConfigureServices(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await _services.GetRequiredService<WorkflowStore>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task TearDownDatabaseAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
        ConfigureDomain(services);
        services.AddTestActivities();
        services.AddSingleton(ShippedData.Calendar());
        services.AddSingleton(ShippedData.FormRegistry);
        services.AddSingleton(ShippedData.Validator);
        services.PostConfigure<Workflows.Integrity.IntegrityOptions>(o =>
        {
            o.SigningKeyFile = Path.Combine(IntegrityFolder, "keys", "journal-signing.key");
            o.PublicKeysPath = Path.Combine(IntegrityFolder, "keys", "public");
            o.AnchorPath = Path.Combine(IntegrityFolder, "anchor");
        });
        services.Configure<Workflows.Tasks.AttachmentOptions>(o =>
        {
            o.Path = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "attachments", Guid.NewGuid().ToString("N"));
            o.MaxBytes = 64 * 1024;
        });
    }

    /// <summary>
    /// The platform's extensions of the engine, as the Host registers them (<c>AddDataSharing</c>: organisation scopes
    /// such as <c>provider</c> and <c>bureau</c>, the fallback to the platform administrators, the bureau as a party to every
    /// case): the fixtures run on the platform's organisation (<see cref="TestOrganization"/>). A fixture of the engine
    /// alone overrides this with nothing.
    /// </summary>
    protected virtual void ConfigureDomain(IServiceCollection services) => services.AddDataSharing();

    protected virtual void ConfigureEngine(WorkflowEngineOptions options)
    {
    }

    /// <summary>Saves and publishes a definition, failing the test if it does not validate.</summary>
    protected async Task<DefinitionVersionInfo> PublishAsync(WorkflowDefinition definition)
    {
        var saved = await Definitions.SaveDraftAsync(definition, "admin");
        Assert.That(saved.IsSuccess, Is.True, saved.ToString());
        var published = await Definitions.PublishAsync(definition.DefinitionId, saved.Value.Version, "admin");
        Assert.That(published.IsSuccess, Is.True, () => published.ToString() + " " +
            string.Join("; ", published.Error?.Errors.Select(e => e.Message) ?? []));
        return published.Value;
    }

    protected async Task<RunResult> StartAsync(string definitionId, JsonObject? input = null, string? correlationId = null)
    {
        var result = await Runtime.StartAsync(new StartWorkflowRequest(definitionId) { Input = input, CorrelationId = correlationId, Initiator = "applicant" });
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        return result.Value;
    }

    protected async Task<RunResult> ResumeAsync(Guid bookmarkId, JsonNode? payload = null, string actor = "approver")
    {
        var result = await Runtime.ResumeAsync(bookmarkId, payload, actor);
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        return result.Value;
    }

    protected static BookmarkInfo Bookmark(RunResult run, string activityId) =>
        run.Bookmarks.Single(b => b.ActivityId == activityId);

    protected async Task<IReadOnlyList<JournalEntryView>> JournalAsync(Guid instanceId) => await Queries.GetJournalAsync(instanceId);

    /// <summary>Runs raw SQL against the test database (for tampering tests); identifiers are quoted for both providers.</summary>
    protected async Task<int> ExecuteSqlAsync(string sql, params object[] parameters)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Database.ExecuteSqlRawAsync(sql, parameters);
    }

    protected static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
