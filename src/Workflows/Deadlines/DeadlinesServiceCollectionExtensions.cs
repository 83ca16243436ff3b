using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PdsWorkflow.Workflows.Deadlines;

public static class DeadlinesServiceCollectionExtensions
{
    /// <summary>Recomputing pending deadlines when holiday notices arrive, and the notice upload; needs the calendar and the engine.</summary>
    public static IServiceCollection AddDeadlineRecomputation(this IServiceCollection services, bool runInBackground = true)
    {
        services.TryAddSingleton<DeadlineRecalculator>();
        services.TryAddSingleton<HolidayNoticeService>();
        if (runInBackground) services.AddHostedService<CalendarSyncService>();
        return services;
    }
}
