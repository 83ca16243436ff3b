using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows;

namespace PdsWorkflow.Activities;

public static class PdsActivitiesRegistration
{
    /// <summary>The platform's own modules and activities: each module adds itself here through its own extension.</summary>
    public static IServiceCollection AddPdsActivities(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services
            .AddAccounts(configuration)
            .AddCatalog(configuration)
            .AddInterfaces(configuration)
            .AddActivity<Notify>()
            .AddActivity<ExchangeTable>()
            .AddActivity<ExchangeFiles>()
            .AddActivity<ForwardToProvince>()
            .AddActivity<RegisterProxiedResource>();
    }
}
