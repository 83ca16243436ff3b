using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities;
using PdsWorkflow.Host.Startup;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Auth.KeyRing;

/// <summary>Bound from <c>DataProtection</c>.</summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>The key-ring encryption key, base64 of at least 32 bytes; when empty, <see cref="KeyFile"/> is used (created on first use).</summary>
    public string? Key { get; set; }

    public string KeyFile { get; set; } = "data/keys/dataprotection.key";
}

public sealed class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options) =>
        KeyMaterial.Problem(options.Key, options.KeyFile, "DataProtection:Key", "DataProtection:KeyFile") is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}

public static class KeyRingRegistration
{
    /// <summary>
    /// One data-protection key ring for every node: stored in <c>dp_keys</c> (migrated with the modules), encrypted at rest
    /// with the key of <see cref="KeyRingOptions"/>, under one application name so that nodes in different folders share it.
    /// </summary>
    public static IServiceCollection AddPdsKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyRingOptions>().Bind(configuration.GetSection(KeyRingOptions.Section))
            .PostConfigure(o => o.KeyFile = ProductPaths.Anchor(o.KeyFile)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<KeyRingOptions>>().Value;
            return new KeyRingMasterKey(KeyMaterial.Load(o.Key, o.KeyFile, "DataProtection:Key", "DataProtection:KeyFile"));
        });
        services.TryAddSingleton<KeyRingDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModuleDatabase, KeyRingDatabase>(sp => sp.GetRequiredService<KeyRingDatabase>()));
        services.AddScoped(sp => sp.GetRequiredService<KeyRingDatabase>().CreateContext());
        services.AddDataProtection().SetApplicationName("PdsWorkflow").PersistKeysToDbContext<KeyRingDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) =>
            o.XmlEncryptor = new AesGcmXmlEncryptor(sp.GetRequiredService<KeyRingMasterKey>()));
        return services;
    }
}
