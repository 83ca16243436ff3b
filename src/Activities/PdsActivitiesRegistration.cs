using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PdsWorkflow.Activities;

public static class PdsActivitiesRegistration
{
    /// <summary>The platform's own modules and activities: each module adds itself here through its own extension.</summary>
    public static IServiceCollection AddPdsActivities(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
