using Microsoft.Extensions.Options;

namespace PdsWorkflow.Host.Startup;

/// <summary>What the Host checks before it touches the database or any file.</summary>
public static class StartupChecks
{
    /// <summary>
    /// Where the Host reads <c>appsettings.json</c>: the working directory when it has one (<c>dotnet run</c>, which
    /// starts in src/Host; a service started in its folder), otherwise the folder of the Host's assembly, where the build
    /// and the publish put <c>appsettings.json</c>, so that the Host started from anywhere (the repository root:
    /// <c>dotnet src/Host/bin/…/PdsWorkflow.Host.dll</c>) reads the same settings. A content root given on the command
    /// line (<c>--contentRoot</c>) or in <c>DOTNET_CONTENTROOT</c>/<c>ASPNETCORE_CONTENTROOT</c> wins: null leaves it to them.
    /// </summary>
    public static string? ContentRoot(string[] args)
    {
        if (args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")))
            return null;
        return File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory;
    }

    /// <summary>
    /// Validates every setting registered for start-up validation, before the database is migrated: a bad setting (a log
    /// retention under 24 months, say) stops the Host having changed nothing. False, with each failure on
    /// <paramref name="error"/>, when one is bad.
    /// </summary>
    public static bool SettingsAreValid(IServiceProvider services, TextWriter error)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return true;
        }
        catch (Exception ex) when (Failures(ex) is { Count: > 0 } failures)
        {
            error.WriteLine("配置错误，系统未启动 (configuration error, nothing was changed):");
            foreach (var failure in failures) error.WriteLine("  " + failure);
            return false;
        }
    }

    private static List<string> Failures(Exception ex) => ex switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
        _ => [],
    };
}
