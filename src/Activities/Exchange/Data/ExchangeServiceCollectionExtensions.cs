using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Exchange.Tables;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Exchange.Data;

public static class ExchangeServiceCollectionExtensions
{
    /// <summary>
    /// What the table and file exchange steps use: the <c>Exchange</c> settings (checked at start-up), the <c>exc_*</c>
    /// tables (migrated at start-up as an <see cref="IModuleDatabase"/>), the run recorder and its reads
    /// (<see cref="IExchangeProgress"/>), the statistics' table and file figures (<see cref="ExchangeUsageSource"/>), and the front-end tables adapter of <c>FrontEnd:Provider</c>. The front-end
    /// settings themselves are the accounts module's (<c>AddAccounts</c>).
    /// </summary>
    public static IServiceCollection AddDataExchange(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ExchangeOptions>().Bind(configuration.GetSection(ExchangeOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExchangeOptions>, ExchangeOptionsValidator>());
        services.TryAddSingleton<ExchangeDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleDatabase, ExchangeDatabase>(sp => sp.GetRequiredService<ExchangeDatabase>()));
        services.TryAddSingleton<ExchangeRunRecorder>();
        services.TryAddSingleton<IExchangeProgress>(sp => sp.GetRequiredService<ExchangeRunRecorder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExchangeUsageSource, ExchangeUsageSource>());
        services.TryAddSingleton(FrontEndProvider.Create<IFrontEndTables, PostgresFrontEndTables, SqliteFrontEndTables>);
        return services;
    }
}
