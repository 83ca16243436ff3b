using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Timers;
using Quartz;

namespace PdsWorkflow.Workflows.Tests.Timers;

/// <summary>What AddWorkflowTimers registers and refuses; no scheduler is started here.</summary>
public sealed class TimerRegistrationTests
{
    private static readonly string NoDatabase = $"Data Source={Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "never-opened.db")}";

    [Test]
    public async Task Timers_take_over_due_bookmarks_from_the_engine_poller()
    {
        await using var host = TimerHost.Create(DatabaseProvider.Sqlite, NoDatabase);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(host.Services.GetRequiredService<IBookmarkScheduler>(), Is.TypeOf<QuartzBookmarkScheduler>());
            Assert.That(host.Services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.PollDueBookmarks, Is.False);
        }
    }

    [Test]
    public async Task Disabled_timers_register_no_scheduler_and_leave_the_poller()
    {
        await using var host = TimerHost.Create(DatabaseProvider.Sqlite, NoDatabase, ("Timers:Enabled", "false"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(host.Services.GetRequiredService<IBookmarkScheduler>(), Is.TypeOf<SweepOnlyBookmarkScheduler>());
            Assert.That(host.Services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.PollDueBookmarks, Is.True);
            Assert.That(host.Services.GetService<ISchedulerFactory>(), Is.Null);
        }
    }

    [Test]
    public async Task Bad_timer_settings_stop_the_host_naming_each_setting()
    {
        await using var host = TimerHost.Create(DatabaseProvider.Sqlite, NoDatabase,
            ("Timers:SweepInterval", "00:00:00"), ("Timers:InstanceName", " "), ("Timers:ThreadCount", "0"));

        var failure = Assert.CatchAsync(() => host.Services.GetRequiredService<IHost>().StartAsync());

        // Quartz's scheduler and thread-pool options are derived from TimerOptions, so their start-up validation
        // reports the same failures again; each copy names the settings.
        var failures = (failure is AggregateException all ? all.InnerExceptions : [failure!]).Cast<OptionsValidationException>().SelectMany(e => e.Failures);
        Assert.That(failures, Has.Some.Contains("Timers:SweepInterval")
            .And.Some.Contains("Timers:InstanceName")
            .And.Some.Contains("Timers:ThreadCount"));
    }

    [Test]
    public async Task Quartz_keeps_time_with_the_application_clock()
    {
        var clock = new ManualClock();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var host = TimerHost.Create(database.Provider, database.ConnectionString, s => s.AddSingleton<TimeProvider>(clock));
        await host.MigrateAsync();

        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);

        Assert.That(scheduler.TimeProvider, Is.SameAs(clock));
    }
}
