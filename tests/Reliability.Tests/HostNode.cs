using System.Diagnostics;
using System.Text;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// The real Host (src/Host's build output, same configuration as this project) as a child process on a fixed loopback
/// port, started again and again on the same database and settings, and killed with SIGKILL. Its output of every run
/// is kept for a failing test's message.
/// </summary>
public sealed class HostNode : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _settings;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public HostNode(IReadOnlyList<string> settings)
    {
        _settings = settings;
        Address = new Uri($"http://127.0.0.1:{HostBinary.FreePort()}");
    }

    public Uri Address { get; }

    public int Starts { get; private set; }

    /// <summary>The last 8,000 characters the Host wrote over all its runs.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.Length <= 8_000 ? _log.ToString() : _log.ToString(_log.Length - 8_000, 8_000);
        }
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PdsWorkflow.sln"))) return folder.FullName;
        throw new InvalidOperationException("PdsWorkflow.sln not found above the test directory.");
    }

    /// <summary>Runs an operator verb (e.g. <c>seed-demo</c>) with the same settings and waits for it; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunVerbAsync(string verb, CancellationToken ct)
    {
        var start = HostBinary.StartInfo([verb, .. _settings]);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts the Host and waits until <c>/health/ready</c> answers 200 (migrated, definitions imported, listening).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("The Host is already running.");
        _process?.Dispose();
        var start = HostBinary.StartInfo(["--urls", Address.ToString(), .. _settings]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Starts++;
        Append($"--- start {Starts} (pid {process.Id})");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        await HostBinary.WaitUntilReadyAsync(process, Address, () => Log, ct);
    }

    /// <summary>SIGKILL, the whole process tree: no shutdown hook runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Append($"--- killed (exit {_process.ExitCode})");
    }

    public bool HasExited => _process is null || _process.HasExited;

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
