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
/// finished tasks seeded in bulk by <see cref="HistorySeeder"/>. After a warm-up that lasts until the JIT is quiet, each
/// round measures one window of starts, one of first-step completions through <see cref="TaskService.ApproveAsync"/> and
/// one of <see cref="MinimalBaseline"/> completions, in alternating order, all windows of the same length; the figures
/// are medians over the rounds, the ratio the median of each round's own ratio.
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
            "journal, audit rows, sent notices, checkpoint), people spread over 2,000 users (PostgreSQL then VACUUM ANALYZE, as autovacuum " +
            "would; SQLite without ANALYZE, as the product runs it). Warm-up until the JIT is quiet; then " +
            $"{settings.Rounds} rounds, each one {window} s window of starts, one of first-step completions (`TaskService.ApproveAsync`: " +
            "the task, its bookmark, the next step's task, candidate, bookmark and notice) and one of the minimal baseline (the writes of the " +
            "engine table's baseline), in alternating order. Medians over the rounds; the ratio is the median of each round's own ratio. " +
            "CPU is the process's (all threads; on PostgreSQL the server's share is not in it), allocations every thread's.");
        var all = new List<Figures>();
        foreach (var size in settings.Sizes)
            foreach (var provider in providers)
                all.Add(await MeasureAsync(provider, root, size, settings));

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
        foreach (var provider in all.GroupBy(f => f.Database))
        {
            var empty = provider.First();
            Report.Line($"{provider.Key}, against the empty database: " + string.Join("; ", provider.Skip(1).Select(f => string.Create(CultureInfo.InvariantCulture,
                $"{f.FinishedTasks:N0} finished tasks: completions ×{f.Median(r => r.Completions.PerSecond) / empty.Median(r => r.Completions.PerSecond):0.00} the rate, " +
                $"×{f.Median(r => r.Completions.CpuMilliseconds) / empty.Median(r => r.Completions.CpuMilliseconds):0.00} the CPU; " +
                $"starts ×{f.Median(r => r.Starts.PerSecond) / empty.Median(r => r.Starts.PerSecond):0.00} the rate"))) + ".");
        }
    }

    private static async Task<Figures> MeasureAsync(DatabaseProvider provider, string root, int finishedTasks, Settings settings)
    {
        var name = BenchEngine.Name(provider);
        await using var bench = await BenchEngine.CreateAsync(provider, root);
        var approvers = EngineBenchmark.Steps.Select(EngineBenchmark.Approver).ToArray();
        await bench.SeedUsersAsync(approvers);
        await bench.PublishAsync(EngineBenchmark.ApprovalDefinition());
        var runtime = bench.Get<WorkflowRuntime>();
        var tasks = bench.Get<TaskService>();
        var started = 0;

        async Task<Guid> StartAsync()
        {
            var run = await runtime.StartAsync(new StartWorkflowRequest(EngineBenchmark.Approval)
            {
                Initiator = "bench.applicant",
                CorrelationId = $"history-{started++}",
                Input = new JsonObject { ["title"] = $"库表订阅申请 {started}", ["resourceName"] = "人口基本信息", ["fields"] = new JsonArray("姓名", "身份证号", "住址") },
            });
            return run.Value is { Status: WorkflowStatus.Suspended } ? run.Value.InstanceId : throw new InvalidOperationException($"start: {run}");
        }

        async Task ApproveAsync(Guid task, string approver)
        {
            var approved = await tasks.ApproveAsync(task, approver, "同意");
            if (!approved.IsSuccess) throw new InvalidOperationException(approved.ToString());
        }

        // The template: one case the engine takes from start to end; the history is copies of it.
        var template = await StartAsync();
        foreach (var step in EngineBenchmark.Steps)
            await ApproveAsync(await OpenTaskAsync(bench, template, step), EngineBenchmark.Approver(step));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Console.Error.WriteLine($"history: {name}, seeding {finishedTasks:N0} finished tasks");
        var seeded = await HistorySeeder.CopyAsync(bench, template, finishedTasks / EngineBenchmark.Steps.Length, [.. approvers, "bench.applicant"]);
        if (provider == DatabaseProvider.PostgreSql)
            await using (var db = await bench.ContextAsync()) await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
        var seedSeconds = watch.Elapsed.TotalSeconds;
        await using (var db = await bench.ContextAsync())
        {
            var finished = await db.Tasks.CountAsync(t => t.Status == TaskStatuses.Completed);
            if (finished < finishedTasks) throw new InvalidOperationException($"{finished} finished tasks seeded, expected {finishedTasks}");
        }

        var baseline = await MinimalBaseline.PrepareAsync(bench, 300, await EngineBenchmark.StateSizeAsync(bench));
        var supply = new Queue<Guid>();
        var queued = new HashSet<Guid>();

        async Task RefillAsync()
        {
            await using var db = await bench.ContextAsync();
            var open = await db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open && t.DefinitionId == EngineBenchmark.Approval && t.ActivityId == EngineBenchmark.Steps[0])
                .OrderBy(t => t.CreatedAt).Select(t => t.Id).ToListAsync();
            foreach (var id in open.Where(queued.Add)) supply.Enqueue(id);
        }

        var first = EngineBenchmark.Approver(EngineBenchmark.Steps[0]);
        var baselineOperations = 0;
        async Task<bool> CompleteAsync(int _)
        {
            if (!supply.TryDequeue(out var task)) return false;
            await ApproveAsync(task, first);
            return true;
        }

        async Task<bool> StartOneAsync(int _)
        {
            await StartAsync();
            return true;
        }

        async Task<bool> BaselineAsync(int _)
        {
            await baseline.CompleteAsync(baselineOperations++);
            return true;
        }

        Console.Error.WriteLine($"history: {name}, {finishedTasks:N0}: warming up");
        // The warm-up runs the windows themselves, short ones, so that the harness's own code is compiled too.
        var brief = TimeSpan.FromMilliseconds(200);
        var warmUp = await Measure.UntilJitQuietAsync(async () =>
        {
            await Measure.WindowAsync(brief, StartOneAsync);
            await RefillAsync();
            await Measure.WindowAsync(brief, CompleteAsync);
            await Measure.WindowAsync(brief, BaselineAsync);
        }, WarmUpLimit);

        // Enough open first steps for every completion window, judged from the warm-up's pace.
        var probe = await Measure.WindowAsync(TimeSpan.FromSeconds(1), StartOneAsync);
        await RefillAsync();
        var pace = await Measure.WindowAsync(TimeSpan.FromSeconds(1), CompleteAsync);
        var needed = (int)(pace.PerSecond * settings.Window.TotalSeconds * settings.Rounds * 1.3) - (int)(probe.PerSecond * settings.Window.TotalSeconds * settings.Rounds * 0.7);
        for (var i = supply.Count; i < needed; i++) await StartAsync();
        await RefillAsync();

        var rounds = new List<(Window, Window, Window)>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            Window starts, completions, minimal;
            if (round % 2 == 0)
            {
                starts = await Measure.WindowAsync(settings.Window, StartOneAsync);
                await RefillAsync();
                completions = await Measure.WindowAsync(settings.Window, CompleteAsync);
                minimal = await Measure.WindowAsync(settings.Window, BaselineAsync);
            }
            else
            {
                minimal = await Measure.WindowAsync(settings.Window, BaselineAsync);
                completions = await Measure.WindowAsync(settings.Window, CompleteAsync);
                starts = await Measure.WindowAsync(settings.Window, StartOneAsync);
                await RefillAsync();
            }

            if (completions.Elapsed < settings.Window * 0.9)
                Console.Error.WriteLine($"history: {name}, round {round + 1}: out of open tasks after {completions.Elapsed.TotalSeconds:0.00} s");
            rounds.Add((starts, completions, minimal));
        }

        return new Figures(name, finishedTasks, seeded, seedSeconds, warmUp, rounds);
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
