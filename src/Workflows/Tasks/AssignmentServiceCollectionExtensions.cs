using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>The extension points of assignment: organisation scopes, standing parties to every case, the fallback.</summary>
public static class AssignmentServiceCollectionExtensions
{
    /// <summary>A scope definitions may name in <c>assignment.scope</c>.</summary>
    public static IServiceCollection AddAssignmentScope<T>(this IServiceCollection services) where T : class, IAssignmentScope
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAssignmentScope, T>());
        return services;
    }

    /// <summary>Units that are a party to every case (see <see cref="IStandingCaseParty"/>).</summary>
    public static IServiceCollection AddStandingCaseParty<T>(this IServiceCollection services) where T : class, IStandingCaseParty
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStandingCaseParty, T>());
        return services;
    }

    /// <summary>The engine's own part: the registry, the generic scopes and the options, validated at start-up.</summary>
    internal static IServiceCollection AddAssignment(this IServiceCollection services)
    {
        services.AddOptions<AssignmentOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AssignmentOptions>, AssignmentOptionsValidator>());
        services.TryAddSingleton<AssignmentScopes>();
        services.TryAddSingleton<AssignmentResolver>();
        return services.AddAssignmentScope<ApplicantScope>().AddAssignmentScope<OrgUnitScope>();
    }
}
