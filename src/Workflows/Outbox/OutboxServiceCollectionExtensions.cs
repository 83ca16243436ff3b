using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// The outbox's dispatcher and operator view, with settings from the <c>Outbox</c> section, without the background
    /// service: tests and operator verbs call <see cref="OutboxDispatcher.DispatchDueAsync"/> themselves.
    /// </summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration? configuration = null,
        Action<OutboxOptions>? configure = null)
    {
        var options = services.AddOptions<OutboxOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(OutboxOptions.Section));
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<OutboxAdmin>();
        return services;
    }

    /// <summary><see cref="AddOutbox"/> and the background service that delivers due messages (the Host).</summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.AddOutbox(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcherService>());
        return services;
    }

    /// <summary>Registers the handler of one message type.</summary>
    public static IServiceCollection AddOutboxHandler<THandler>(this IServiceCollection services) where THandler : class, IOutboxHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, THandler>());
        return services;
    }
}
