using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Activities.Notifications;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Activities.Routing;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Activities.Cases;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities;

public static class PdsActivitiesRegistration
{
    /// <summary>The platform's own modules and activities: each module adds itself here through its own extension.</summary>
    public static IServiceCollection AddPdsActivities(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<ICaseSummary, PdsCaseSummary>();
        return services
            .AddDataSharing()
            .AddAccounts(configuration)
            .AddCatalog(configuration)
            .AddDataExchange(configuration)
            .AddInterfaces(configuration)
            .AddActivity<Notify>()
            .AddActivity<ExchangeTable>()
            .AddActivity<ExchangeFiles>()
            .AddProvincial(configuration)
            .AddNotifications(configuration)
            .AddRecordedFacts<ApplicantFacts>()
            .AddRecordedFacts<ResourceFacts>()
            .AddRecordedFacts<ObjectionFacts>();
    }
}
