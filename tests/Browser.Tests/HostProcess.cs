using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PdsWorkflow.Browser.Tests;

/// <summary>
/// The real Host in its own process: Kestrel on a free loopback port, a fresh SQLite database seeded with the demo
/// organisation, catalog and applications (its first start), and its data folders in a temporary directory.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log = new();

    private HostProcess(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The Host's SQLite database file, for a test that works on the stored rows behind the Host's back.</summary>
    public string DatabasePath => Path.Combine(_folder, "pds.db");

    /// <summary>What the Host wrote, for a failing test's message.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PdsWorkflow.sln"))) return folder.FullName;
        throw new InvalidOperationException("PdsWorkflow.sln not found above the test directory.");
    }

    public static async Task<HostProcess> StartAsync(CancellationToken ct)
    {
        var root = RepositoryRoot();
        // tests/Browser.Tests/bin/<Configuration>/net10.0: the Host was built with the same configuration.
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        var hostDll = Path.Combine(root, "src", "Host", "bin", configuration, "net10.0", "PdsWorkflow.Host.dll");
        if (!File.Exists(hostDll)) throw new FileNotFoundException("The Host is not built.", hostDll);

        var folder = Directory.CreateTempSubdirectory("pdsworkflow-browser-").FullName;
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            hostDll, "--urls", address.ToString(),
            "--Database:Provider=Sqlite", $"--Database:ConnectionString=Data Source={Path.Combine(folder, "pds.db")}",
            "--Demo:SeedOnFirstStart=true", $"--Attachments:Path={Path.Combine(folder, "attachments")}",
            $"--Accounts:SecretKeyFile={Path.Combine(folder, "accounts.key")}", $"--FrontEnd:SqliteFolder={Path.Combine(folder, "frontend")}",
            $"--Integrity:SigningKeyFile={Path.Combine(folder, "keys", "journal-signing.key")}", $"--Integrity:PublicKeysPath={Path.Combine(folder, "keys", "public")}",
            $"--Integrity:AnchorPath={Path.Combine(folder, "anchor")}",
            "--Logging:LogLevel:Default=Warning",
            // Every browser context signs in from 127.0.0.1, far more often than one office does; the limit itself is tested in Host.Tests.
            "--SignIn:SourcePermitLimit=1000",
        })
            start.ArgumentList.Add(argument);

        var process = Process.Start(start)!;
        var host = new HostProcess(process, folder, address);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilReadyAsync(ct);
        return host;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3)); // the first start migrates, imports the definitions and seeds the demo
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The Host exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!timeout.IsCancellationRequested)
            {
                // one slow answer while it starts
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: the temporary folder is left to the system
        }
    }
}
