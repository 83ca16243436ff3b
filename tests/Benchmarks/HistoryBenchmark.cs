using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// Whether a completion and a start cost the same over an empty database and over one holding the history of many
/// finished cases (issue #17): the three-step approval of <see cref="EngineBenchmark"/>, over 0, 100,000 (and 1,000,000)
/// finished tasks seeded in bulk by <see cref="HistorySeeder"/>, each size its own database, all of a provider's sizes open
/// at once. After a warm-up that lasts until the JIT is quiet, each round measures, for every size in turn, one window of
/// starts, one of first-step completions through <see cref="TaskService.ApproveAsync"/> and one of
/// <see cref="MinimalBaseline"/> completions, in alternating order, all windows of the same length; the figures are
/// medians over the rounds, the ratio the median of each round's own ratio.
/// </summary>
internal static class HistoryBenchmark
{
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(90);

    public sealed record Settings(IReadOnlyList<int> Sizes, TimeSpan Window, int Rounds);

    private sealed record Figures(string Database, int FinishedTasks, HistorySeeder.Seeded Seeded, double SeedSeconds, WarmUp WarmUp,
        IReadOnlyList<(Window Starts, Window Completions, Window Baseline)> Rounds)
    {
        public double Median(Func<(Window Starts, Window Completions, Window Baseline), double> figure) => Measure.Median(Rounds.Select(figure));
    }

    public static async Task RunAsync(IReadOnlyList<DatabaseProvider> providers, string root, Settings settings)
    {
        var window = settings.Window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        Report.Section("Completion cost and history",
            $"The three-step approval of the engine benchmark over a database already holding the history of finished cases: " +
            $"{string.Join(", ", settings.Sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} finished tasks, each case a copy " +
            "of one the engine finished, written in bulk into every table a case leaves rows in (instance, tasks, candidates, bookmarks, " +
            "journal, audit rows, sent notices, checkpoint), people spread over 2,000 users (then PostgreSQL VACUUM ANALYZE, as autovacuum " +
            "would; SQLite a checkpoint of its write-ahead log, without ANALYZE, as the product runs it), each size its own database, all of a provider's sizes open at once. " +
            $"Warm-up until the JIT is quiet; then {settings.Rounds} rounds, each, for every size in turn (rotating), one {window} s window of starts, one of first-step completions (`TaskService.ApproveAsync`: " +
            "the task, its bookmark, the next step's task, candidate, bookmark and notice) and one of the minimal baseline (the writes of the " +
            "engine table's baseline), in alternating order. Medians over the rounds; the ratio is the median of each round's own ratio. " +
            "CPU is the process's (all threads; on PostgreSQL the server's share is not in it), allocations every thread's.");
        var all = new List<Figures>();
        foreach (var provider in providers) all.AddRange(await MeasureAsync(provider, root, settings));

        Report.Table("database", "finished tasks", "seeded rows", "seed s", "completions /s", "baseline /s", "engine / baseline", "starts /s");
        foreach (var f in all)
            Report.Row(f.Database, Count(f.FinishedTasks), Count(f.Seeded.Rows), f.SeedSeconds.ToString("0", CultureInfo.InvariantCulture),
                Measure.Format(f.Median(r => r.Completions.PerSecond)), Measure.Format(f.Median(r => r.Baseline.PerSecond)),
                f.Median(r => r.Completions.PerSecond / r.Baseline.PerSecond).ToString("0.00", CultureInfo.InvariantCulture),
                Measure.Format(f.Median(r => r.Starts.PerSecond)));
        Report.Line("");
        Report.Table("database", "finished tasks", "completion CPU ms", "completion KB", "start CPU ms", "start KB", "baseline CPU ms", "baseline KB",
            "warm-up s (JIT quiet)", "JIT methods in windows");
        foreach (var f in all)
            Report.Row(f.Database, Count(f.FinishedTasks), Ms(f.Median(r => r.Completions.CpuMilliseconds)), Kb(f.Median(r => r.Completions.AllocatedKilobytes)),
                Ms(f.Median(r => r.Starts.CpuMilliseconds)), Kb(f.Median(r => r.Starts.AllocatedKilobytes)),
                Ms(f.Median(r => r.Baseline.CpuMilliseconds)), Kb(f.Median(r => r.Baseline.AllocatedKilobytes)),
                $"{f.WarmUp.Elapsed.TotalSeconds:0} ({(f.WarmUp.Quiet ? "yes" : $"no: {f.WarmUp.LastBatchMethods} methods in the last batch")})",
                Count(f.Rounds.Sum(r => r.Starts.JitMethods + r.Completions.JitMethods + r.Baseline.JitMethods)));

        var perCase = all.Select(f => f.Seeded).FirstOrDefault(s => s.Cases > 0)?.RowsPerCase;
        if (perCase is not null)
            Report.Line("\nEach seeded case: " + string.Join(", ", perCase.Select(p => $"{p.Value} {p.Key}")) + ".");
        foreach (var provider in all.GroupBy(f => f.Database).Where(g => g.Count() > 1))
        {
            var empty = provider.First();
            Report.Line($"{provider.Key}, against {(empty.FinishedTasks == 0 ? "the empty database" : $"{empty.FinishedTasks:N0} finished tasks")}: " + string.Join("; ", provider.Skip(1).Select(f => string.Create(CultureInfo.InvariantCulture,
                $"{f.FinishedTasks:N0} finished tasks: completions ×{f.Median(r => r.Completions.PerSecond) / empty.Median(r => r.Completions.PerSecond):0.00} the rate, " +
                $"×{f.Median(r => r.Completions.CpuMilliseconds) / empty.Median(r => r.Completions.CpuMilliseconds):0.00} the CPU; " +
                $"starts ×{f.Median(r => r.Starts.PerSecond) / empty.Median(r => r.Starts.PerSecond):0.00} the rate"))) + ".");
        }
    }

    /// <summary>
    /// Every size of one provider at once, each its own database: seeded one after the other, warmed up together, then
    /// measured round by round, the sizes' windows interleaved (in rotating order) so that the machine's other work weighs
    /// on every size alike.
    /// </summary>
    private static async Task<IReadOnlyList<Figures>> MeasureAsync(DatabaseProvider provider, string root, Settings settings)
    {
        var subjects = new List<Subject>();
        try
        {
            foreach (var size in settings.Sizes) subjects.Add(await Subject.CreateAsync(provider, root, size));
            var brief = TimeSpan.FromMilliseconds(200);
            Console.Error.WriteLine($"history: {BenchEngine.Name(provider)}: warming up");
            var warmUp = await Measure.UntilJitQuietAsync(async () =>
            {
                foreach (var subject in subjects)
                {
                    await Measure.WindowAsync(brief, subject.StartOneAsync);
                    await subject.RefillAsync();
                    await Measure.WindowAsync(brief, subject.CompleteAsync);
                    await Measure.WindowAsync(brief, subject.BaselineAsync);
                }
            }, WarmUpLimit);
            foreach (var subject in subjects) await subject.EnsureSupplyAsync(settings);

            var rounds = subjects.ToDictionary(s => s, _ => new List<(Window, Window, Window)>());
            for (var round = 0; round < settings.Rounds; round++)
                for (var k = 0; k < subjects.Count; k++)
                {
                    var subject = subjects[(round + k) % subjects.Count];
                    rounds[subject].Add(await subject.RoundAsync(settings.Window, engineFirst: round % 2 == 0));
                }

            return subjects.Select(s => new Figures(BenchEngine.Name(provider), s.FinishedTasks, s.Seeded, s.SeedSeconds, warmUp, rounds[s])).ToList();
        }
        finally
        {
            foreach (var subject in subjects) await subject.DisposeAsync();
        }
    }

    /// <summary>One database holding the history of <see cref="FinishedTasks"/> finished tasks, and the operations measured on it.</summary>
    private sealed class Subject : IAsyncDisposable
    {
        private readonly Queue<Guid> _supply = new();
        private readonly HashSet<Guid> _queued = [];
        private readonly BenchEngine _bench;
        private readonly WorkflowRuntime _runtime;
        private readonly TaskService _tasks;
        private MinimalBaseline? _baseline;
        private int _started;
        private int _baselineOperations;

        private Subject(BenchEngine bench, int finishedTasks)
        {
            _bench = bench;
            FinishedTasks = finishedTasks;
            _runtime = bench.Get<WorkflowRuntime>();
            _tasks = bench.Get<TaskService>();
        }

        public int FinishedTasks { get; }
        public HistorySeeder.Seeded Seeded { get; private set; } = new(0, new Dictionary<string, int>());
        public double SeedSeconds { get; private set; }

        private string Name => $"{BenchEngine.Name(_bench.Provider)}, {FinishedTasks:N0}";

        public static async Task<Subject> CreateAsync(DatabaseProvider provider, string root, int finishedTasks)
        {
            var bench = await BenchEngine.CreateAsync(provider, root);
            var subject = new Subject(bench, finishedTasks);
            try
            {
                await subject.SeedAsync();
                return subject;
            }
            catch
            {
                await subject.DisposeAsync();
                throw;
            }
        }

        private async Task SeedAsync()
        {
            var approvers = EngineBenchmark.Steps.Select(EngineBenchmark.Approver).ToArray();
            await _bench.SeedUsersAsync(approvers);
            await _bench.PublishAsync(EngineBenchmark.ApprovalDefinition());

            // The template: one case the engine takes from start to end; the history is copies of it.
            var template = await StartAsync();
            foreach (var step in EngineBenchmark.Steps)
                await ApproveAsync(await OpenTaskAsync(_bench, template, step), EngineBenchmark.Approver(step));
            Console.Error.WriteLine($"history: {Name}: seeding");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Seeded = await HistorySeeder.CopyAsync(_bench, template, FinishedTasks / EngineBenchmark.Steps.Length, [.. approvers, "bench.applicant"]);
            // History accumulated over months would be checkpointed into the database file and analysed (PostgreSQL's
            // autovacuum; the product never analyses SQLite), not sit in a write-ahead log of a gigabyte.
            await using (var db = await _bench.ContextAsync())
                await db.Database.ExecuteSqlRawAsync(_bench.Provider == DatabaseProvider.PostgreSql ? "VACUUM ANALYZE" : "PRAGMA wal_checkpoint(TRUNCATE)");
            SeedSeconds = watch.Elapsed.TotalSeconds;
            await using (var db = await _bench.ContextAsync())
            {
                var finished = await db.Tasks.CountAsync(t => t.Status == TaskStatuses.Completed);
                if (finished < FinishedTasks) throw new InvalidOperationException($"{finished} finished tasks seeded, expected {FinishedTasks}");
            }

            _baseline = await MinimalBaseline.PrepareAsync(_bench, 300, await EngineBenchmark.StateSizeAsync(_bench));
        }

        private async Task<Guid> StartAsync()
        {
            var run = await _runtime.StartAsync(new StartWorkflowRequest(EngineBenchmark.Approval)
            {
                Initiator = "bench.applicant",
                CorrelationId = $"history-{_started++}",
                Input = new JsonObject { ["title"] = $"库表订阅申请 {_started}", ["resourceName"] = "人口基本信息", ["fields"] = new JsonArray("姓名", "身份证号", "住址") },
            });
            return run.Value is { Status: WorkflowStatus.Suspended } ? run.Value.InstanceId : throw new InvalidOperationException($"start: {run}");
        }

        private async Task ApproveAsync(Guid task, string approver)
        {
            var approved = await _tasks.ApproveAsync(task, approver, "同意");
            if (!approved.IsSuccess) throw new InvalidOperationException(approved.ToString());
        }

        public async Task<bool> StartOneAsync(int _)
        {
            await StartAsync();
            return true;
        }

        /// <summary>Approves the next open first step; false when there is none left.</summary>
        public async Task<bool> CompleteAsync(int _)
        {
            if (!_supply.TryDequeue(out var task)) return false;
            await ApproveAsync(task, EngineBenchmark.Approver(EngineBenchmark.Steps[0]));
            return true;
        }

        public async Task<bool> BaselineAsync(int _)
        {
            await _baseline!.CompleteAsync(_baselineOperations++);
            return true;
        }

        public async Task RefillAsync()
        {
            await using var db = await _bench.ContextAsync();
            var open = await db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open && t.DefinitionId == EngineBenchmark.Approval && t.ActivityId == EngineBenchmark.Steps[0])
                .OrderBy(t => t.CreatedAt).Select(t => t.Id).ToListAsync();
            foreach (var id in open.Where(_queued.Add)) _supply.Enqueue(id);
        }

        /// <summary>Enough open first steps for every completion window, judged from this database's pace (the start windows add more).</summary>
        public async Task EnsureSupplyAsync(Settings settings)
        {
            var starts = await Measure.WindowAsync(TimeSpan.FromSeconds(1), StartOneAsync);
            await RefillAsync();
            var completions = await Measure.WindowAsync(TimeSpan.FromSeconds(1), CompleteAsync);
            var span = settings.Window.TotalSeconds * settings.Rounds;
            var needed = (int)(completions.PerSecond * span * 1.3 - starts.PerSecond * span * 0.7);
            for (var i = _supply.Count; i < needed; i++) await StartAsync();
            await RefillAsync();
        }

        /// <summary>One window each of starts, completions and the baseline; the completions always in the middle.</summary>
        public async Task<(Window Starts, Window Completions, Window Baseline)> RoundAsync(TimeSpan window, bool engineFirst)
        {
            Window starts, completions, baseline;
            if (engineFirst)
            {
                starts = await Measure.WindowAsync(window, StartOneAsync);
                await RefillAsync();
                completions = await Measure.WindowAsync(window, CompleteAsync);
                baseline = await Measure.WindowAsync(window, BaselineAsync);
            }
            else
            {
                baseline = await Measure.WindowAsync(window, BaselineAsync);
                completions = await Measure.WindowAsync(window, CompleteAsync);
                starts = await Measure.WindowAsync(window, StartOneAsync);
                await RefillAsync();
            }

            if (completions.Elapsed < window * 0.9)
                Console.Error.WriteLine($"history: {Name}: out of open tasks after {completions.Elapsed.TotalSeconds:0.00} s");
            return (starts, completions, baseline);
        }

        public ValueTask DisposeAsync() => _bench.DisposeAsync();
    }

    private static async Task<Guid> OpenTaskAsync(BenchEngine bench, Guid instance, string step)
    {
        await using var db = await bench.ContextAsync();
        return await db.Tasks.Where(t => t.InstanceId == instance && t.ActivityId == step && t.Status == TaskStatuses.Open).Select(t => t.Id).SingleAsync();
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Kb(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
