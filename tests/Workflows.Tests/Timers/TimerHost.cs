using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Timers;
using Quartz;

namespace PdsWorkflow.Workflows.Tests.Timers;

/// <summary>
/// A real Microsoft.Extensions.Hosting host with the engine and the Quartz timers, configured as the product's Host
/// configures them (sections <c>Database</c> and <c>Timers</c>), on real time: Quartz fires on the wall clock.
/// </summary>
public sealed class TimerHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    private TimerHost(IHost host, LogCapture logs)
    {
        _host = host;
        Logs = logs;
    }

    public LogCapture Logs { get; }
    public IServiceProvider Services => _host.Services;
    public WorkflowRuntime Runtime => Services.GetRequiredService<WorkflowRuntime>();
    public WorkflowQueries Queries => Services.GetRequiredService<WorkflowQueries>();
    public JournalVerifier Verifier => Services.GetRequiredService<JournalVerifier>();

    /// <summary>Builds a host on <paramref name="database"/>; <paramref name="settings"/> add to or override the defaults.</summary>
    public static TimerHost Create(TestDatabase database, params (string Key, string Value)[] settings) =>
        Create(database.Provider, database.ConnectionString, settings);

    public static TimerHost Create(DatabaseProvider provider, string connectionString, params (string Key, string Value)[] settings) =>
        Create(provider, connectionString, _ => { }, settings);

    /// <summary>As the other overloads, with <paramref name="services"/> registered before the engine (a clock, say).</summary>
    public static TimerHost Create(DatabaseProvider provider, string connectionString, Action<IServiceCollection> services,
        params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var configuration = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connectionString,
            ["Timers:ThreadCount"] = "2",
        };
        foreach (var (key, value) in settings) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        var logs = new LogCapture();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("PdsWorkflow", LogLevel.Debug).AddProvider(logs);
        services(builder.Services);
        builder.Services.AddWorkflowEngine(builder.Configuration);
        builder.Services.AddWorkflowTimers(builder.Configuration);
        return new TimerHost(builder.Build(), logs);
    }

    public Task MigrateAsync() => Services.GetRequiredService<WorkflowStore>().MigrateAsync(CancellationToken.None);

    /// <summary>Migrates the engine's schema (as the Host does before it starts) and starts the host, Quartz with it.</summary>
    public async Task StartAsync()
    {
        await MigrateAsync();
        await _host.StartAsync();
        _started = true;
    }

    public async Task StopAsync()
    {
        if (!_started) return;
        _started = false;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_host is IAsyncDisposable disposable) await disposable.DisposeAsync();
        else _host.Dispose();
    }

    /// <summary>Saves and publishes Start → Delay(<paramref name="duration"/>) → End; returns the definition id.</summary>
    public async Task<string> PublishDelayAsync(string duration)
    {
        var id = $"delay-{Guid.NewGuid():N}"[..14];
        var definitions = Services.GetRequiredService<WorkflowDefinitionStore>();
        var definition = new DefinitionBuilder(id).Add("start", "Start").Add(TimerScenarios.DelayActivity, "Delay", ("duration", DefinitionBuilder.Literal(duration)))
            .Add("end", "End").Chain("start", TimerScenarios.DelayActivity, "end").Build();
        var saved = await definitions.SaveDraftAsync(definition, "admin");
        Assert.That(saved.IsSuccess, Is.True, saved.ToString());
        var published = await definitions.PublishAsync(id, saved.Value.Version, "admin");
        Assert.That(published.IsSuccess, Is.True, published.ToString());
        return id;
    }

    /// <summary>Whether the job store holds a trigger for the bookmark (a one-shot trigger is deleted once it has fired).</summary>
    public async Task<bool> HasTimerAsync(Guid bookmarkId)
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        return await scheduler.Exists(ResumeBookmarkJob.TriggerKeyFor(bookmarkId), CancellationToken.None);
    }

    public async Task<RunResult> StartInstanceAsync(string definitionId)
    {
        var result = await Runtime.StartAsync(new StartWorkflowRequest(definitionId) { Initiator = "applicant" });
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        return result.Value;
    }
}

/// <summary>What the timer tests share: the activity id, waiting by polling, and reading the journal.</summary>
public static class TimerScenarios
{
    public const string DelayActivity = "wait";

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after 30 s. Asserts behaviour, not timing.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > PollTimeout) Assert.Fail($"Still waiting after {PollTimeout.TotalSeconds:0} s until {what}.");
            await Task.Delay(PollInterval);
        }
    }

    public static Task WaitUntilFinishedAsync(WorkflowQueries queries, Guid instanceId) =>
        WaitUntilAsync(async () => (await queries.GetInstanceAsync(instanceId))?.Status == WorkflowStatus.Finished, $"instance {instanceId} has finished");

    public static async Task<int> DelayResumesAsync(WorkflowQueries queries, Guid instanceId) =>
        (await queries.GetJournalAsync(instanceId)).Count(j => j.ActivityId == DelayActivity && j.EventName == JournalEvents.ActivityResumed);
}

/// <summary>Keeps every log entry of a host, with its structured values, for assertions on what the timer jobs did.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries the resume job wrote about one bookmark: one per firing of its trigger.</summary>
    public IReadOnlyList<LogEntry> ResumeJobEntries(Guid bookmarkId) =>
        Entries.Where(e => e.Category == typeof(ResumeBookmarkJob).FullName && Equals(e.Value("BookmarkId"), bookmarkId)).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), values, exception));
        }
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception)
{
    public object? Value(string name) => Values.FirstOrDefault(v => v.Key == name).Value;
}
