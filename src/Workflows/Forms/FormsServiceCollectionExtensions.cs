using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Forms.Validators;

namespace PdsWorkflow.Workflows.Forms;

public static class FormsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FormValidator"/> (the built-in formats and rules plus any registered
    /// <see cref="IFormatValidator"/> and <see cref="ICustomRule"/> services) and <see cref="FormSchemaRegistry"/>, loaded
    /// from <see cref="FormsOptions.SchemasPath"/>. The settings and every schema file are checked at start-up.
    /// </summary>
    public static IServiceCollection AddForms(this IServiceCollection services, Action<FormsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<FormsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FormsOptions>, FormsOptionsValidator>());
        services.TryAddSingleton(provider => new FormValidator(
            BuiltInValidators.Formats.Concat(provider.GetServices<IFormatValidator>()),
            BuiltInValidators.Rules.Concat(provider.GetServices<ICustomRule>())));
        services.TryAddSingleton(provider => CreateRegistry(
            provider.GetRequiredService<IOptions<FormsOptions>>().Value, provider.GetRequiredService<FormValidator>()));
        services.TryAddSingleton<RecordedFactsService>();
        return services;
    }

    /// <summary>Registers a source of what the platform decides from its own records (<see cref="IRecordedFactsSource"/>).</summary>
    public static IServiceCollection AddRecordedFacts<T>(this IServiceCollection services) where T : class, IRecordedFactsSource
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRecordedFactsSource, T>());
        services.TryAddSingleton<RecordedFactsService>();
        return services;
    }

    private static FormSchemaRegistry CreateRegistry(FormsOptions options, FormValidator validator)
    {
        var loaded = FormSchemaFolder.Load(Path.GetFullPath(options.SchemasPath), validator);
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException(
                $"The form schemas in {options.SchemasPath} are invalid: {string.Join("; ", loaded.Errors)}");
        }

        return new FormSchemaRegistry(loaded.Schemas);
    }
}
