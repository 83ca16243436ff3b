using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Timers;

namespace PdsWorkflow.Workflows.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    /// <summary>
    /// Tamper evidence (<c>Integrity:*</c>, validated at start-up): the seal on every save of the engine's database, the
    /// signing key and trusted public keys, checkpoints, the anchor (an outbox handler), verification and the sweep.
    /// Called by <c>AddWorkflowEngine</c>; the engine's own history tables are covered here.
    /// </summary>
    public static IServiceCollection AddWorkflowIntegrity(this IServiceCollection services, IConfiguration? configuration = null,
        Action<IntegrityOptions>? configure = null)
    {
        var options = services.AddOptions<IntegrityOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(IntegrityOptions.Section));
        if (configure is not null) options.PostConfigure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrityOptions>, IntegrityOptionsValidator>());
        services.TryAddSingleton<SigningKeyStore>();
        services.TryAddSingleton<Checkpointer>();
        services.TryAddSingleton<CoveredRecords>();
        services.TryAddSingleton<IntegritySeal>();
        services.TryAddSingleton<CheckpointAnchor>();
        services.TryAddSingleton<RecordCoverage>();
        services.TryAddSingleton<IntegrityVerifier>();
        services.TryAddSingleton<CheckpointSweep>();
        services.AddOutboxHandler<CheckpointAnchorHandler>();
        return services
            .AddCoveredRecords(EngineRecordKinds.TaskActions)
            .AddCoveredRecords(EngineRecordKinds.Attachments)
            .AddCoveredRecords(EngineRecordKinds.Messages)
            .AddCoveredRecords(EngineRecordKinds.Notices)
            .AddCoveredRecords(EngineRecordKinds.SecurityLog);
    }

    /// <summary>
    /// Puts a table of the engine's database under the chains: from now on every row of <typeparamref name="T"/> written,
    /// changed or deleted through <c>WorkflowDbContext</c> is attested in its instance's journal or in the kind's global
    /// stream, and 验证 reports any row changed, deleted, inserted or reordered behind the platform's back.
    /// </summary>
    public static IServiceCollection AddCoveredRecords<T>(this IServiceCollection services, RecordKind<T> kind) where T : class
    {
        services.AddSingleton<RecordKind>(kind);
        return services;
    }

    /// <summary>The sweep that signs idle chain heads and writes the daily digests, on <c>Integrity:CheckpointCron</c> (the Host).</summary>
    public static IServiceCollection AddCheckpointSweepJob(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var cron = configuration.GetSection(IntegrityOptions.Section)[nameof(IntegrityOptions.CheckpointCron)] ?? new IntegrityOptions().CheckpointCron;
        if (!CronJobs.IsCron(cron)) return services; // an invalid one stops the Host at validation
        return services.AddCronJob<CheckpointSweepJob>(configuration, CheckpointSweepJob.Key, CheckpointSweepJob.TriggerKey, cron,
            "Signs chain heads idle past Integrity:CheckpointInterval and writes the anchor's daily digests");
    }
}
