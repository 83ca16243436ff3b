using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>
    /// The resource catalog: its tables (migrated at start-up as an <see cref="IModuleDatabase"/>), <see cref="CatalogService"/>,
    /// the <c>Pds.Catalog.*</c> activities and what the catalog settles for an update request (<see cref="CatalogChangeFacts"/>); an
    /// interface mount's address is checked by the gateway's <see cref="UpstreamPolicy"/> (section <c>Gateway</c>). Settings come from the <c>Catalog</c> section and are checked at start-up.
    /// The catalog validates through the catalog-entry form and counts update deadlines in working days, so it adds the
    /// forms and the calendar too; whoever registered them first with their own settings keeps them.
    /// </summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection(CatalogOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>());
        services.AddForms();
        services.AddWorkingDayCalendar();
        services.TryAddSingleton<CatalogDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleDatabase, CatalogDatabase>(provider => provider.GetRequiredService<CatalogDatabase>()));
        services.AddUpstreamPolicy(configuration);
        services.TryAddSingleton<CatalogService>();
        services.AddRecordedFacts<CatalogChangeFacts>();
        return services
            .AddActivity<SaveCatalogDraft>()
            .AddActivity<SubmitCatalogEntry>()
            .AddActivity<ReturnCatalogFromReview>()
            .AddActivity<RegisterCatalogEntry>()
            .AddActivity<ReturnCatalogRegistration>()
            .AddActivity<ReopenCatalogEntry>()
            .AddActivity<PublishCatalogEntry>()
            .AddActivity<WithdrawCatalogEntry>()
            .AddActivity<ReviseCatalogEntry>()
            .AddActivity<MountCatalogResource>();
    }
}
