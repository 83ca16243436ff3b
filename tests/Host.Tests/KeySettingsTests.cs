using PdsWorkflow.Host.Startup;

namespace PdsWorkflow.Host.Tests;

/// <summary>The key-ring key and the accounts key are checked at start-up: a bad one stops the Host with the setting named.</summary>
public sealed class KeySettingsTests
{
    /// <summary>What the Host's start-up check (run by Program before anything is migrated) reports: empty when it would start.</summary>
    internal static string StartupFailures(HostFactory factory)
    {
        var error = new StringWriter();
        return StartupChecks.SettingsAreValid(factory.Services, error) ? "" : error.ToString();
    }

    [Test]
    public async Task A_key_ring_key_that_is_not_base64_of_32_bytes_stops_the_host()
    {
        await using var factory = new HostFactory();
        factory.Settings["DataProtection:Key"] = Convert.ToBase64String(new byte[16]);

        Assert.That(StartupFailures(factory), Does.Contain("DataProtection:Key is not base64 of at least 32 bytes"));
    }

    [Test]
    public async Task An_accounts_key_file_that_holds_no_key_stops_the_host()
    {
        var file = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"{Guid.NewGuid():N}.key");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "this is not a key");
        try
        {
            await using var factory = new HostFactory();
            factory.Settings["Accounts:SecretKeyFile"] = file;

            Assert.That(StartupFailures(factory), Does.Contain("(Accounts:SecretKeyFile) is not base64 of at least 32 bytes"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
