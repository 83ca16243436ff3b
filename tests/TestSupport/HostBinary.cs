using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PdsWorkflow.Tests.Support;

/// <summary>The built Host (src/Host/bin/…/PdsWorkflow.Host.dll) as a child process: where it is, a free port, and waiting until it is ready.</summary>
public static class HostBinary
{
    /// <summary>Next to the test's own build output: tests/X/bin/&lt;Configuration&gt;/net10.0 → src/Host/bin/&lt;Configuration&gt;/net10.0.</summary>
    public static string Dll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(ShippedData.RepositoryRoot, "src", "Host", "bin", configuration, "net10.0", "PdsWorkflow.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("The Host is not built.", dll);
    }

    /// <summary><c>dotnet Host.dll</c> started in the repository root (where definitions/ and the calendars are), output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ShippedData.RepositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (migrated, definitions imported, listening); fails with the Host's output if it exits first.</summary>
    public static async Task WaitUntilReadyAsync(Process process, Uri address, Func<string> log, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3)); // a first start migrates, imports the definitions and seeds the demo
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The Host exited with {process.ExitCode}:\n{log()}");
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

            await Task.Delay(100, timeout.Token);
        }
    }
}
