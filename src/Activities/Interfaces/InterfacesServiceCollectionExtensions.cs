using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Timers;

namespace PdsWorkflow.Activities.Interfaces;

public static class InterfacesServiceCollectionExtensions
{
    /// <summary>
    /// Interface applications and authorisations: the tables <c>api_*</c> (an <see cref="IModuleDatabase"/>), the
    /// services the Host's gateway and API use, the <c>Pds.Interfaces.*</c> activities, the statistics, and the daily
    /// sweep on the engine's Quartz scheduler when timers are enabled (<c>Timers:Enabled</c>). Settings: section
    /// <c>Interfaces</c>, checked at start-up. Needs the catalog (<c>AddCatalog</c>) and the accounts' delivery
    /// (<c>AddAccounts</c>) for the credentials letter.
    /// </summary>
    public static IServiceCollection AddInterfaces(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<InterfacesOptions>().Bind(configuration.GetSection(InterfacesOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InterfacesOptions>, InterfacesOptionsValidator>());
        services.AddUpstreamPolicy(configuration);
        services.AddWorkingDayCalendar();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InterfacesDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleDatabase, InterfacesDatabase>(sp => sp.GetRequiredService<InterfacesDatabase>()));
        services.TryAddSingleton<InterfaceService>();
        services.TryAddSingleton<InterfaceQueries>();
        services.TryAddSingleton<GatewayAccess>();
        services.TryAddSingleton<InterfaceSweep>();
        services.TryAddSingleton<ExchangeStatistics>();
        services.TryAddSingleton<ObjectionStatistics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExchangeUsageSource, InterfaceUsageSource>());

        return services
            .AddActivity<AuthorizeInterface>()
            .AddActivity<RevokeInterfaceAuthorization>();
    }

    /// <summary>
    /// Where the gateway may send calls (<see cref="UpstreamPolicy"/>, section <c>Gateway</c>, checked at start-up): the
    /// catalog checks an interface's address with it when the interface is mounted, the Host's gateway on every connection.
    /// </summary>
    public static IServiceCollection AddUpstreamPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(UpstreamPolicy))) return services;
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton<UpstreamPolicy>();
        return services;
    }

    /// <summary>
    /// The daily sweep (<see cref="InterfaceSweepJob"/>) as a job of the engine's Quartz scheduler: the Host adds it
    /// beside <c>AddWorkflowTimers</c>; with <c>Timers:Enabled</c> false there is no scheduler and nothing is added.
    /// </summary>
    public static IServiceCollection AddInterfaceSweepJob(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var cron = configuration.GetSection(InterfacesOptions.Section)[nameof(InterfacesOptions.SweepCron)] ?? new InterfacesOptions().SweepCron;
        return services.AddCronJob<InterfaceSweepJob>(configuration, InterfaceSweepJob.Key, InterfaceSweepJob.TriggerKey, cron,
            "Expires, reminds and asks to revoke interface authorisations");
    }
}
