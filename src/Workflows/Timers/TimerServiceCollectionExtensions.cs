using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using Quartz;

namespace PdsWorkflow.Workflows.Timers;

public static class TimerServiceCollectionExtensions
{
    /// <summary>
    /// Due bookmarks (delays, retries, deadlines) become Quartz triggers in a persistent job store on the engine's own
    /// database (tables prefixed <c>qrtz_</c>, created by Quartz at start-up), clustered on PostgreSQL so that several
    /// nodes share the timers and each fires once; a sweep job replaces the engine's poller. Settings come from the
    /// <c>Timers</c> section; with <c>Timers:Enabled</c> false nothing is registered and the engine's poller stays.
    /// The scheduler runs as a hosted service, so only a started host fires timers. Quartz keeps time with the
    /// container's <see cref="TimeProvider"/>, the engine's clock, without a UseTimeProvider call (which wants an instance
    /// before the container exists).
    /// </summary>
    public static IServiceCollection AddWorkflowTimers(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TimerOptions.Section);
        if (!section.GetValue(nameof(TimerOptions.Enabled), true)) return services;

        // Quartz chooses its SQL dialect and clustering when it is registered, so the provider is read here; the
        // validator checks at start-up that the engine ended up on the same one.
        var provider = configuration.GetSection(WorkflowDatabaseOptions.Section)
            .GetValue(nameof(WorkflowDatabaseOptions.Provider), DatabaseProvider.Sqlite);
        var dialect = DatabaseDialect.For(provider);
        services.AddSingleton(new TimerJobStore(provider));
        services.AddOptions<TimerOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TimerOptions>, TimerOptionsValidator>());

        services.Replace(ServiceDescriptor.Singleton<IBookmarkScheduler, QuartzBookmarkScheduler>());
        services.Configure<WorkflowEngineOptions>(o => o.PollDueBookmarks = false);

        // Registered in the container, which disposes it with the host; the connection string is the engine's own.
        services.AddKeyedSingleton<DbDataSource>(TimerKeys.DataSource, (sp, _) =>
        {
            var connectionString = sp.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value.ConnectionString;
            return dialect.CreateDataSource(connectionString);
        });
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<ResumeBookmarkJob>(job => job.WithIdentity(ResumeBookmarkJob.Key).StoreDurably(true)
                .WithDescription("Resumes the due bookmark named by the trigger's bookmarkId"));
            quartz.AddJob<DueBookmarkSweepJob>(job => job.WithIdentity(DueBookmarkSweepJob.Key).StoreDurably(true)
                .WithDescription("Resumes due bookmarks that have no trigger"));
            quartz.AddTrigger<DueBookmarkSweepJob>((sp, trigger) => trigger
                .WithIdentity(DueBookmarkSweepJob.TriggerKey)
                .ForJob(DueBookmarkSweepJob.Key)
                .StartNow()
                .WithSimpleSchedule(s => s
                    .WithInterval(sp.GetRequiredService<IOptions<TimerOptions>>().Value.SweepInterval)
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            quartz.UsePersistentStore(store =>
            {
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = "qrtz_";
                    // Job data is the bookmark id as a string: readable in the table, nothing type-bound to deserialize.
                    o.StoreJobDataAsStrings = true;
                });
                store.ProvisionSchema();
                dialect.UseJobStore(store, TimerKeys.DataSource);
            });
        });
        services.AddOptions<QuartzSchedulerOptions>().Configure<IOptions<TimerOptions>>((o, timers) => o.InstanceName = timers.Value.InstanceName);
        services.AddOptions<ThreadPoolOptions>().Configure<IOptions<TimerOptions>>((o, timers) => o.MaxConcurrency = timers.Value.ThreadCount);
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}

internal static class TimerKeys
{
    public const string Group = "pds-workflow";
    public const string DataSource = "pds-workflow-timers";
}
