using System.Globalization;
using PdsWorkflow.Benchmarks;
using PdsWorkflow.Workflows.Persistence;

// dotnet run -c Release --project tests/Benchmarks -- [calendar|expressions|engine|history|peer|inbox|replay|memory|all] [--million] [--sqlite-only] [--markdown FILE]
// PostgreSQL: PDS_TEST_POSTGRES (scripts/postgres.sh prints one); scripts/bench.sh runs everything and writes docs/benchmarks.md.
// Scale: PDS_BENCH_INSTANCES (engine, default 300), PDS_BENCH_SUSPENDED (memory, default 100000), PDS_BENCH_HISTORY (history:
// finished tasks, default "0,100000"; --million adds 1000000), PDS_BENCH_ROUNDS (history, 7), PDS_BENCH_WINDOW_MS (history, 1000).
if (args.Length >= 1 && args[0] == MemoryBenchmark.ProbeVerb) return await MemoryBenchmark.ProbeAsync(args[1..]);

var root = RepositoryRoot();
var options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
var markdown = args.SkipWhile(a => a != "--markdown").Skip(1).FirstOrDefault();
var which = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && a != markdown).ToList();
if (which.Count == 0) which.Add("calendar");
if (which.Contains("all")) which = ["calendar", "expressions", "engine", "history", "peer", "inbox", "replay", "memory"];

var postgres = Environment.GetEnvironmentVariable(PdsWorkflow.Tests.Support.TestDatabase.PostgresVariable);
List<DatabaseProvider> providers = options.Contains("--sqlite-only") || string.IsNullOrWhiteSpace(postgres)
    ? [DatabaseProvider.Sqlite]
    : [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];
if (providers.Count == 1) Console.Error.WriteLine("PostgreSQL figures skipped: set PDS_TEST_POSTGRES (scripts/postgres.sh prints one).");

Report.Line($"Machine: {Environment.ProcessorCount} cores, {Measure.Megabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} MB, .NET {Environment.Version}, " +
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load average {LoadAverage()} at the start (other work on the machine). " +
    $"Tiered compilation {(AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var tiered) && !tiered ? "off" : "on")}, " +
    $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC. Benchmarks: {string.Join(", ", which)}.");
foreach (var name in which)
{
    switch (name)
    {
        case "calendar":
            CalendarBenchmark.Run(root);
            break;
        case "expressions":
            ExpressionBenchmark.Run();
            break;
        case "engine":
            await EngineBenchmark.RunAsync(providers, root, Setting("PDS_BENCH_INSTANCES", 300));
            break;
        case "history":
            await HistoryBenchmark.RunAsync(providers, root, new HistoryBenchmark.Settings(
                [.. Sizes("PDS_BENCH_HISTORY", [0, 100_000]).Union(options.Contains("--million") ? [1_000_000] : []).Order()],
                TimeSpan.FromMilliseconds(Setting("PDS_BENCH_WINDOW_MS", 1_000)), Setting("PDS_BENCH_ROUNDS", 7)));
            break;
        case "peer":
            await PeerBenchmark.RunAsync(root);
            break;
        case "inbox":
            await InboxBenchmark.RunAsync(providers, root, options.Contains("--million") ? [100_000, 1_000_000] : [100_000]);
            break;
        case "replay":
            await ReplayBenchmark.RunAsync(providers, root);
            break;
        case "memory":
            await MemoryBenchmark.RunAsync(providers, root, Setting("PDS_BENCH_SUSPENDED", 100_000));
            break;
        default:
            Console.Error.WriteLine($"unknown benchmark '{name}'; known: calendar, expressions, engine, history, peer, inbox, replay, memory, all");
            return 2;
    }
}

if (markdown is not null) Report.Save(markdown);
return 0;

static int Setting(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

static int[] Sizes(string name, int[] fallback) =>
    Environment.GetEnvironmentVariable(name)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } parts
        ? [.. parts.Select(p => int.Parse(p, NumberStyles.Integer, CultureInfo.InvariantCulture)).Where(n => n >= 0).Distinct().Order()]
        : fallback;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "PdsWorkflow.sln"))) return folder.FullName;
    return Directory.GetCurrentDirectory();
}
