using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The built Host (src/Host/bin/…/PdsWorkflow.Host.dll) started as an operator would, from the repository root rather
/// than from src/Host: it must read its own appsettings.json, and refuse a bad setting before it touches the database.
/// </summary>
public sealed class StartupTests
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"startup-{Guid.NewGuid():N}.db");

    [TearDown]
    public void RemoveDatabase()
    {
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" }) File.Delete(file);
    }

    [Test]
    public async Task A_log_retention_under_24_months_stops_the_host_before_it_creates_the_database()
    {
        using var host = Start("--Audit:RetentionMonths=12");

        var exited = await WaitForExitAsync(host, TimeSpan.FromMinutes(2));

        var error = await host.StandardError.ReadToEndAsync();
        Assert.That(exited, Is.True, "the Host stops by itself");
        Assert.That(host.ExitCode, Is.EqualTo(1), error);
        Assert.That(error, Does.Contain("Audit:RetentionMonths 为 12").And.Not.Contain("Unhandled exception"));
        Assert.That(File.Exists(_database), Is.False, "nothing was created or migrated");
    }

    [Test]
    public async Task An_operator_verb_with_a_log_retention_under_24_months_migrates_nothing()
    {
        using var verb = Start("migrate", "--Audit:RetentionMonths=6");

        Assert.That(await WaitForExitAsync(verb, TimeSpan.FromMinutes(2)), Is.True);
        Assert.That(verb.ExitCode, Is.EqualTo(1));
        Assert.That(await verb.StandardError.ReadToEndAsync(), Does.Contain("Audit:RetentionMonths 为 6"));
        Assert.That(File.Exists(_database), Is.False);
    }

    [Test]
    public async Task The_host_started_from_the_repository_root_reads_its_settings_and_the_demo_users_sign_in()
    {
        var address = new Uri($"http://127.0.0.1:{HostBinary.FreePort()}");
        using var host = Start("--urls", address.ToString());
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            await HostBinary.WaitUntilReadyAsync(host, address, () => "", CancellationToken.None);

            // Demo:SeedOnFirstStart is true only in appsettings.json (its default is false): the demo exists only if that file was read.
            using var login = await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName = "bureau.admin", password = "Pds@2026demo" });

            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    private Process Start(params string[] arguments)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database)!);
        return Process.Start(HostBinary.StartInfo([.. arguments, $"--Database:ConnectionString=Data Source={_database}", "--Timers:Enabled=false"]))
               ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }
}
