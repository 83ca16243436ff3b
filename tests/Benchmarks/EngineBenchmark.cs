using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// Human-task completions per second through <see cref="TaskService"/> on a three-step approval, each one committed
/// transaction (instance state, bookmark, task, audit, journal, outbox), against a baseline doing the minimal equivalent
/// writes through ADO.NET in the same run; instance starts per second; automatic steps per second without a commit.
/// </summary>
internal static class EngineBenchmark
{
    internal const string Approval = "bench-approval";
    private const string Automatic = "bench-auto10";
    private const string AutomaticLiteral = "bench-auto10-literal";
    internal static readonly string[] Steps = ["step1", "step2", "step3"];

    public static async Task RunAsync(IReadOnlyList<DatabaseProvider> providers, string root, int instances)
    {
        Report.Section("Engine",
            $"Sequential, one caller. {instances} instances of a three-step approval (Start → 3 × UserTask → End, one named approver " +
            "each) are started, then every task is approved through `TaskService.ApproveAsync`: each completion is one committed " +
            "transaction that locks the instance, completes the task (audit row, journal entries), resumes the bookmark and runs " +
            "the next step (new bookmark, task, candidate, audit, outbox notice, journal). The baseline does, through ADO.NET in one " +
            "transaction per completion, only: (PostgreSQL: lock the instance row,) update the instance row (state JSON of the same " +
            "size, revision, journal head), delete one bookmark and insert one, update one task, insert one journal row.");
        Report.Table("database", "starts /s", "task completions /s", "baseline completions /s", "engine / baseline");
        var sql = new List<string>();
        foreach (var provider in providers)
        {
            var figures = await MeasureAsync(provider, root, instances);
            Report.Row(BenchEngine.Name(provider), Measure.Format(figures.Starts), Measure.Format(figures.Completions), Measure.Format(figures.Baseline),
                (figures.Completions / figures.Baseline).ToString("0.00", CultureInfo.InvariantCulture));
            sql.Add($"{BenchEngine.Name(provider)} {figures.Sql}");
        }

        Report.Line("");
        Report.Line($"SQL round trips (statements) and process CPU time per start and per completion (SQL counted by a command interceptor; CPU time moves less than rates on a shared machine): {string.Join("; ", sql)}.");

        await AutomaticStepsAsync(root);
    }

    private sealed record Figures(double Starts, double Completions, double Baseline, string Sql);

    /// <summary>Commands (statements) per operation over <paramref name="operations"/> operations since <paramref name="before"/>.</summary>
    private static string PerOperation(BenchEngine bench, (long Commands, long Statements, TimeSpan Cpu) before, int operations)
    {
        var (commands, statements, cpu) = bench.Sql.Snapshot();
        return string.Create(CultureInfo.InvariantCulture,
            $"{(commands - before.Commands) / (double)operations:0.#} ({(statements - before.Statements) / (double)operations:0.#}), {(cpu - before.Cpu).TotalMilliseconds / operations:0.0} ms CPU");
    }

    /// <summary>With PDS_BENCH_SQL=1, the statements of the measured completions go to stderr, most frequent first.</summary>
    private static bool DumpSql => Environment.GetEnvironmentVariable("PDS_BENCH_SQL") == "1";

    private static async Task<Figures> MeasureAsync(DatabaseProvider provider, string root, int instances)
    {
        await using var bench = await BenchEngine.CreateAsync(provider, root);
        await bench.SeedUsersAsync(Steps.Select(Approver));
        await bench.PublishAsync(ApprovalDefinition());
        var runtime = bench.Get<WorkflowRuntime>();
        var tasks = bench.Get<TaskService>();

        async Task StartOneAsync(int i)
        {
            var started = await runtime.StartAsync(new StartWorkflowRequest(Approval)
            {
                Initiator = "bench.applicant",
                CorrelationId = $"bench-{i}",
                Input = new JsonObject { ["title"] = $"库表订阅申请 {i}", ["resourceName"] = "人口基本信息", ["fields"] = new JsonArray("姓名", "身份证号", "住址") },
            });
            if (started.Value is not { Status: WorkflowStatus.Suspended }) throw new InvalidOperationException($"start {i}: {started}");
        }

        async Task CompleteAsync((Guid Task, string Approver) open)
        {
            var approved = await tasks.ApproveAsync(open.Task, open.Approver, "同意");
            if (!approved.IsSuccess) throw new InvalidOperationException(approved.ToString());
        }

        // Warm-up: batches of ten instances through all three steps (JIT, EF's compiled queries, connection pools) until the
        // JIT is quiet: otherwise the measured completions pay for tier-1 compilation.
        var warmed = 0;
        var warmUp = await Measure.UntilJitQuietAsync(async () =>
        {
            for (var i = 0; i < 10; i++) await StartOneAsync(-1 - warmed++);
            foreach (var step in Steps)
                foreach (var open in await OpenTasksAsync(bench, step)) await CompleteAsync(open);
        }, TimeSpan.FromSeconds(90));

        var beforeStarts = bench.Sql.Snapshot();
        var starts = await Measure.RateAsync(Enumerable.Range(0, instances).ToList(), StartOneAsync);
        var startSql = PerOperation(bench, beforeStarts, instances);
        var completed = 0.0;
        var completionSql = new List<string>();
        if (DumpSql) bench.Sql.Texts = new();
        foreach (var step in Steps)
        {
            var open = await OpenTasksAsync(bench, step);
            if (open.Count != instances) throw new InvalidOperationException($"{open.Count} open tasks at {step}, expected {instances}");
            var before = bench.Sql.Snapshot();
            completed += open.Count / await Measure.RateAsync(open, CompleteAsync);
            completionSql.Add(PerOperation(bench, before, open.Count));
        }

        if (bench.Sql.Texts is { } texts)
        {
            foreach (var (text, count) in texts.OrderByDescending(p => p.Value))
                Console.Error.WriteLine($"{count / (double)(instances * Steps.Length),6:0.##} × {text}");
            bench.Sql.Texts = null;
        }

        await using (var db = await bench.ContextAsync())
        {
            var finished = await db.Instances.CountAsync(i => i.DefinitionId == Approval && i.Status == WorkflowStatus.Finished);
            if (finished != instances + warmed) throw new InvalidOperationException($"{finished} instances finished, expected {instances + warmed}");
        }

        var stateSize = await StateSizeAsync(bench);
        var baseline = await BaselineAsync(bench, instances, stateSize);
        return new Figures(starts, instances * Steps.Length / completed, baseline,
            $"start {startSql}, completion of step 1/2/3 {string.Join(" / ", completionSql)} (after {warmUp.Elapsed.TotalSeconds:0} s of warm-up{(warmUp.Quiet ? "" : ", the JIT still busy")})");
    }

    internal static string Approver(string step) => $"bench.{step}";

    internal static WorkflowDefinition ApprovalDefinition()
    {
        var builder = new DefinitionBuilder(Approval).Add("start", "Start");
        foreach (var step in Steps) builder.UserTask(step, HumanSteps.Users(Approver(step)));
        builder.Add("end", "End").Add("rejected", "End")
            .Connect("start", Steps[0]).Connect($"{Steps[0]}:Approve", Steps[1]).Connect($"{Steps[1]}:Approve", Steps[2]).Connect($"{Steps[2]}:Approve", "end");
        foreach (var step in Steps) builder.Connect($"{step}:Reject", "rejected");
        return builder.Build();
    }

    private static async Task<List<(Guid Task, string Approver)>> OpenTasksAsync(BenchEngine bench, string step)
    {
        await using var db = await bench.ContextAsync();
        var ids = await db.Tasks.Where(t => t.DefinitionId == Approval && t.ActivityId == step && t.Status == TaskStatuses.Open)
            .OrderBy(t => t.CreatedAt).Select(t => t.Id).ToListAsync();
        return ids.Select(id => (id, Approver(step))).ToList();
    }

    internal static async Task<int> StateSizeAsync(BenchEngine bench)
    {
        await using var db = await bench.ContextAsync();
        return (int)await db.Instances.Where(i => i.DefinitionId == Approval).AverageAsync(i => i.StateJson.Length);
    }

    /// <summary>The minimal writes of one completion, by hand: <paramref name="instances"/> instances × three completions.</summary>
    private static async Task<double> BaselineAsync(BenchEngine bench, int instances, int stateSize)
    {
        var baseline = await MinimalBaseline.PrepareAsync(bench, instances, stateSize);
        for (var i = 0; i < 100; i++) await baseline.CompleteAsync(i);
        return await Measure.RateAsync(Enumerable.Range(100, instances * Steps.Length).ToList(), baseline.CompleteAsync);
    }

    /// <summary>A ten-step burst of SetVariable steps run by the engine inside a unit of work that is never saved.</summary>
    private static async Task AutomaticStepsAsync(string root)
    {
        await using var bench = await BenchEngine.CreateAsync(DatabaseProvider.Sqlite, root);
        await bench.PublishAsync(Sequence(Automatic, i => Js($"variables.n + {i}")));
        await bench.PublishAsync(Sequence(AutomaticLiteral, i => Literal(i)));
        var engine = bench.Get<WorkflowEngine>();

        Report.Section("Automatic steps without persistence",
            "A 10-step sequence (Start → 10 × SetVariable → End) run by the engine inside a unit of work that is never committed: " +
            "the figure is the engine's own cost per step (journal entries built, state updated), plus one read of which version is published per burst (the definition row itself is read once per version).");
        Report.Table("sequence", "bursts /s", "steps /s");
        var sql = new List<string>();
        foreach (var (id, what) in new[] { (Automatic, "SetVariable with a JavaScript expression"), (AutomaticLiteral, "SetVariable with a literal") })
        {
            async Task BurstAsync(int _)
            {
                await using var db = await bench.ContextAsync();
                var run = await engine.StartAsync(db, new StartWorkflowRequest(id) { Initiator = "bench" }, null, "bench", CancellationToken.None);
                if (run.Value is not { Instance.Status: WorkflowStatus.Finished }) throw new InvalidOperationException(run.ToString());
            }

            var bursts = await Measure.OperationsPerSecondAsync(BurstAsync, TimeSpan.FromSeconds(2), warmUp: 200);
            Report.Row(what, Measure.Format(bursts), Measure.Format(bursts * 10));
            var before = bench.Sql.Snapshot();
            for (var i = 0; i < 100; i++) await BurstAsync(i);
            sql.Add(PerOperation(bench, before, 100));
        }

        Report.Line("");
        Report.Line($"SQL round trips (statements) and process CPU time per burst: {string.Join(", ", sql)}.");
    }

    private static WorkflowDefinition Sequence(string id, Func<int, InputValue> value)
    {
        var builder = new DefinitionBuilder(id).Variable("n", 0).Add("start", "Start");
        var ids = new List<string> { "start" };
        for (var i = 1; i <= 10; i++)
        {
            builder.Add($"s{i}", "SetVariable", ("variable", Literal("n")), ("value", value(i)));
            ids.Add($"s{i}");
        }

        return builder.Add("end", "End").Chain([.. ids, "end"]).Build();
    }
}
