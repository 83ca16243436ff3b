using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

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
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        using var host = Start("--urls", address.ToString());
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilReadyAsync(host, client);

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
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(HostDll());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add($"--Database:ConnectionString=Data Source={_database}");
        start.ArgumentList.Add("--Timers:Enabled=false");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
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

    private static async Task WaitUntilReadyAsync(Process host, HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a first start migrates and seeds the demo
        while (true)
        {
            Assert.That(host.HasExited, Is.False, "the Host is running");
            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), timeout.Token);
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!timeout.IsCancellationRequested)
            {
                // one slow answer while it starts
            }

            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>tests/Host.Tests/bin/&lt;Configuration&gt;/net10.0 → src/Host/bin/&lt;Configuration&gt;/net10.0.</summary>
    private static string HostDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot(), "src", "Host", "bin", configuration, "net10.0", "PdsWorkflow.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("The Host is not built.", dll);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PdsWorkflow.sln"))) return folder.FullName;
        throw new InvalidOperationException("PdsWorkflow.sln not found above the test directory.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
