using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
}
