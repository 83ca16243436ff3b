using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Organization;

namespace PdsWorkflow.Activities.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// The demo data: <see cref="DemoSeeder"/>, the organisation as its first step, and the <c>Demo</c> settings.
    /// <typeparamref name="THasher"/> hashes the demo password the way the Host's sign-in checks it.
    /// </summary>
    public static IServiceCollection AddPdsDemo<THasher>(this IServiceCollection services, IConfiguration configuration,
        Action<DemoOptions>? postConfigure = null)
        where THasher : class, IUserPasswordHasher
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section));
        if (postConfigure is not null) options.PostConfigure(postConfigure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>());
        services.TryAddSingleton<IUserPasswordHasher, THasher>();
        services.TryAddSingleton<DemoSeeder>();
        return services.AddDemoSeedStep<OrganizationSeedStep>();
    }

    /// <summary>Adds a step to the demo data (a module's catalog entries, say); steps run in <see cref="IDemoSeedStep.Order"/>.</summary>
    public static IServiceCollection AddDemoSeedStep<TStep>(this IServiceCollection services)
        where TStep : class, IDemoSeedStep
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IDemoSeedStep, TStep>());
        return services;
    }
}
