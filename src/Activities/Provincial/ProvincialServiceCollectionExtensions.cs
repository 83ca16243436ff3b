using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Outbox;

namespace PdsWorkflow.Activities.Provincial;

public static class ProvincialServiceCollectionExtensions
{
    /// <summary>
    /// The provincial proxy (P7, 000 五): <see cref="ForwardToProvince"/> and <see cref="RegisterProxiedResource"/>, the outbox
    /// handler that hands packages to the portal (<see cref="IProvincialPortal"/>: HTTP, or recording where no portal can be
    /// reached), and <see cref="ProvincialDecisions"/> for the Host's callback and staff endpoints. Settings: <c>Provincial</c>,
    /// validated at start-up. Needs the catalog (<c>AddCatalog</c>).
    /// </summary>
    public static IServiceCollection AddProvincial(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProvincialOptions>().Bind(configuration.GetSection(ProvincialOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProvincialOptions>, ProvincialOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HttpProvincialPortal>();
        services.TryAddSingleton<RecordingProvincialPortal>();
        services.TryAddSingleton<IProvincialPortal>(sp => sp.GetRequiredService<IOptions<ProvincialOptions>>().Value.Portal == ProvincialPortalKind.Http
            ? sp.GetRequiredService<HttpProvincialPortal>()
            : sp.GetRequiredService<RecordingProvincialPortal>());
        services.AddOutboxHandler<ProvincialForwardHandler>();
        services.TryAddSingleton<ProvincialDecisions>();
        return services
            .AddActivity<ForwardToProvince>()
            .AddActivity<RegisterProxiedResource>();
    }
}
