using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Timers;

namespace PdsWorkflow.Workflows.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The auditor's services: instance search, audit record export (needs the working-day calendar), and retention
    /// (<c>Audit:*</c>, validated at start-up: never under 24 months).
    /// </summary>
    public static IServiceCollection AddWorkflowAudit(this IServiceCollection services, IConfiguration? configuration = null,
        Action<AuditRetentionOptions>? retention = null)
    {
        var options = services.AddOptions<AuditRetentionOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(AuditRetentionOptions.Section));
        if (retention is not null) options.PostConfigure(retention);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditRetentionOptions>, AuditRetentionOptionsValidator>());
        services.TryAddSingleton<AuditQueries>();
        services.TryAddSingleton<AuditRecordExport>();
        services.TryAddSingleton<AuditArchiver>();
        return services;
    }

    /// <summary>
    /// The scheduled archiving (<see cref="AuditArchiveJob"/>) when <c>Audit:ArchiveCron</c> is set, as a job of the
    /// engine's Quartz scheduler: the Host adds it beside <c>AddWorkflowTimers</c>; with <c>Timers:Enabled</c> false or no
    /// cron, nothing is added and archiving runs only by command.
    /// </summary>
    public static IServiceCollection AddAuditArchiveJob(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var cron = configuration.GetSection(AuditRetentionOptions.Section)[nameof(AuditRetentionOptions.ArchiveCron)];
        if (cron is null || string.IsNullOrWhiteSpace(cron) || !CronJobs.IsCron(cron)) return services; // an invalid one stops the Host at validation
        return services.AddCronJob<AuditArchiveJob>(configuration, AuditArchiveJob.Key, AuditArchiveJob.TriggerKey, cron,
            "Archives journals and exchange logs past the retention period");
    }
}
