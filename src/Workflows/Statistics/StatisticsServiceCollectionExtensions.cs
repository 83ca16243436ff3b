using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PdsWorkflow.Workflows.Statistics;

public static class StatisticsServiceCollectionExtensions
{
    /// <summary>The bureau's case statistics (<see cref="CaseStatistics"/>); needs the working-day calendar.</summary>
    public static IServiceCollection AddCaseStatistics(this IServiceCollection services)
    {
        services.TryAddSingleton<CaseStatistics>();
        return services;
    }
}
