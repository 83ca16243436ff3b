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

    /// <summary>A named format a module's form schemas may use (<see cref="FormField.Format"/>); a schema naming an unregistered one does not load.</summary>
    public static IServiceCollection AddFormatValidator<T>(this IServiceCollection services) where T : class, IFormatValidator
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFormatValidator, T>());
        return services;
    }

    /// <summary>A cross-field rule a module's form schemas may name (<see cref="CustomRule"/>).</summary>
    public static IServiceCollection AddCustomRule<T>(this IServiceCollection services) where T : class, ICustomRule
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomRule, T>());
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
