using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// The handlers of the <c>notify.*</c> outbox messages (one per <see cref="NotificationKinds.All"/>): in-app, e-mail and
    /// SMS; the table <c>ntf_notifications</c> (an <see cref="IModuleDatabase"/>) and <see cref="NotificationService"/>
    /// for reading it. Settings: <c>Notifications</c>, validated at start-up; the SMTP relay and the SMS gateway are the
    /// accounts module's (<c>AddAccounts</c>).
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(NotificationSender))) return services;
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleDatabase, NotificationDatabase>(sp => sp.GetRequiredService<NotificationDatabase>()));
        services.AddSingleton<NotificationSender>();
        services.TryAddSingleton<NotificationService>();
        foreach (var kind in NotificationKinds.All)
            services.AddSingleton<IOutboxHandler>(sp => new NotificationHandler(kind.Type, sp.GetRequiredService<NotificationSender>()));
        return services;
    }
}
