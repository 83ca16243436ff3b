using System.Diagnostics;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// Verifying a 1,000-entry journal: read the instance and its entries, recompute the SHA-256 chain, compare with the
/// head on the instance. The journal is made by the engine itself, with a loop of automatic steps. Re-execution replay
/// (running the pinned version against the recorded inputs) does not exist in the engine yet, so it is not measured.
/// </summary>
internal static class ReplayBenchmark
{
    private const int Entries = 1_000;

    public static async Task RunAsync(IReadOnlyList<DatabaseProvider> providers, string root)
    {
        Report.Section("Journal verify",
            $"One instance whose journal has about {Entries:N0} entries (a loop of SetVariable and Decision steps run by the engine); " +
            "`JournalVerifier.VerifyAsync` reads the instance and the entries and recomputes the hash chain; `WorkflowQueries.GetJournalAsync` " +
            "only reads them, for comparison. Median of 20 runs after 3 warm-up runs, milliseconds. Re-execution replay (re-running the " +
            "pinned version against the recorded inputs) does not exist in the engine yet and is not measured.");
        Report.Table("database", "entries", "verify ms", "read only ms");
        foreach (var provider in providers)
        {
            await using var bench = await BenchEngine.CreateAsync(provider, root);
            await bench.PublishAsync(new DefinitionBuilder("bench-loop").Variable("n", 0).Variable("limit", 10)
                .Add("start", "Start")
                .Add("inc", "SetVariable", ("variable", Literal("n")), ("value", Js("variables.n + 1")))
                .Add("check", "Decision", ("condition", Js("variables.n < variables.limit")))
                .Add("end", "End")
                .Connect("start", "inc").Connect("inc", "check").Connect("check:True", "inc").Connect("check:False", "end").Build());
            var runtime = bench.Get<WorkflowRuntime>();
            var queries = bench.Get<WorkflowQueries>();

            async Task<(Guid Id, int Count)> RunLoopAsync(int limit)
            {
                var run = await runtime.StartAsync(new StartWorkflowRequest("bench-loop") { Initiator = "bench", Input = new() { ["limit"] = limit } });
                if (run.Value is not { Status: WorkflowStatus.Finished }) throw new InvalidOperationException(run.ToString());
                return (run.Value.InstanceId, (await queries.GetJournalAsync(run.Value.InstanceId)).Count);
            }

            var ten = await RunLoopAsync(10);
            var twenty = await RunLoopAsync(20);
            var perRound = (twenty.Count - ten.Count) / 10.0;
            var (instance, count) = await RunLoopAsync(10 + (int)Math.Ceiling((Entries - ten.Count) / perRound));

            var verifier = bench.Get<JournalVerifier>();
            var verify = await MedianAsync(async () =>
            {
                var result = await verifier.VerifyAsync(instance);
                if (result is not { IsIntact: true } || result.EntryCount != count) throw new InvalidOperationException("the journal does not verify");
            });
            var read = await MedianAsync(async () =>
            {
                if ((await queries.GetJournalAsync(instance)).Count != count) throw new InvalidOperationException("journal read short");
            });
            Report.Row(BenchEngine.Name(provider), count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                Measure.Milliseconds(verify), Measure.Milliseconds(read));
        }
    }

    private static async Task<double> MedianAsync(Func<Task> operation)
    {
        for (var i = 0; i < 3; i++) await operation();
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
