using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PdsWorkflow.Workflows.Organization;

public static class OrganizationServiceCollectionExtensions
{
    /// <summary>A module's roles and their names (<see cref="IRoleCatalog"/>), read through <see cref="RoleNames"/>.</summary>
    public static IServiceCollection AddRoleCatalog<T>(this IServiceCollection services) where T : class, IRoleCatalog
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoleCatalog, T>());
        services.TryAddSingleton<RoleNames>();
        return services;
    }
}
