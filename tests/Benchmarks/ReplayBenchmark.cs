using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// What an auditor waits for on a 1,000-entry journal: the hash-chain check, the signed verify (chain, covered records,
/// checkpoint signatures, anchor), the re-execution of the instance against its pinned version from the recorded inputs,
/// all together (the "verify" button), and the step-through snapshots. Two
/// journals made by the engine itself: a loop of automatic steps, and a loop through a human approval (each round a task
/// approved through <see cref="TaskService"/>, so replay feeds back recorded resumes with their actors).
/// </summary>
internal static class ReplayBenchmark
{
    private const int Entries = 1_000;
    private const string Reviewer = "bench.reviewer";

    public static async Task RunAsync(IReadOnlyList<DatabaseProvider> providers, string root)
    {
        Report.Section("Journal verify and replay",
            $"Two instances whose journals have about {Entries:N0} entries, made by the engine: a loop of SetVariable and Decision steps " +
            "(\"automatic\"), and a loop through a UserTask approved by one reviewer each round (\"approvals\"). Hash chain: " +
            "`JournalVerifier` reads the entries and recomputes the chain (SM3, the default). Signed verify: `AuditVerifier.VerifyRecordedAsync`, " +
            "the chain plus the covered records (task actions, messages) against their attested digests, every SM2 checkpoint's signature " +
            "(one per 100 entries and at the end, key from the key folder) and the anchor folder's copies; its CPU column is the process's CPU time " +
            "(on PostgreSQL the server's share is not in it). Re-execution: `JournalReplayer` runs the pinned version " +
            "again from the recorded inputs in a rolled-back transaction and compares every entry. Audit verify: `AuditVerifier`, both " +
            "(what the auditor's button runs). Snapshots: `JournalSnapshots`, the data after each entry for the step-through slider. " +
            "Read only: `WorkflowQueries.GetJournalAsync`. Median of 10 runs after 2 warm-up runs, milliseconds.");
        Report.Table("database", "journal", "entries", "hash chain ms", "checkpoints", "signed verify ms", "signed verify CPU ms", "re-execution ms",
            "audit verify ms", "snapshots ms", "read only ms");
        foreach (var provider in providers)
        {
            await using var bench = await BenchEngine.CreateAsync(provider, root);
            await bench.SeedUsersAsync([Reviewer]);
            await bench.PublishAsync(AutomaticLoop());
            await bench.PublishAsync(ApprovalLoop());
            foreach (var (name, definition) in new[] { ("automatic", "bench-loop"), ("approvals", "bench-approvals") })
            {
                var (instance, count) = await JournalOfAboutAsync(bench, definition, Entries);
                await bench.Get<Workflows.Outbox.OutboxDispatcher>().DispatchDueAsync(CancellationToken.None); // checkpoints to the anchor
                await RowAsync(bench, provider, name, instance, count);
            }
        }
    }

    private static DefinitionBuilder Counter(string definitionId) =>
        new DefinitionBuilder(definitionId).Variable("n", 0).Variable("limit", 10).Add("start", "Start")
            .Add("inc", "SetVariable", ("variable", Literal("n")), ("value", Js("variables.n + 1")))
            .Add("check", "Decision", ("condition", Js("variables.n < variables.limit")))
            .Add("end", "End");

    private static Workflows.Definitions.WorkflowDefinition AutomaticLoop() =>
        Counter("bench-loop").Connect("start", "inc").Connect("inc", "check").Connect("check:True", "inc").Connect("check:False", "end").Build();

    private static Workflows.Definitions.WorkflowDefinition ApprovalLoop() =>
        Counter("bench-approvals").UserTask("review", HumanSteps.Users(Reviewer)).Add("rejected", "End")
            .Connect("start", "review").Connect("review:Approve", "inc").Connect("review:Reject", "rejected").Connect("inc", "check")
            .Connect("check:True", "review").Connect("check:False", "end").Build();

    /// <summary>Runs the loop with 10 and 20 rounds to learn the entries per round, then once with enough rounds for about <paramref name="entries"/>.</summary>
    private static async Task<(Guid Instance, int Count)> JournalOfAboutAsync(BenchEngine bench, string definition, int entries)
    {
        var ten = await RunLoopAsync(bench, definition, 10);
        var twenty = await RunLoopAsync(bench, definition, 20);
        var perRound = (twenty.Count - ten.Count) / 10.0;
        return await RunLoopAsync(bench, definition, 10 + (int)Math.Ceiling((entries - ten.Count) / perRound));
    }

    private static async Task<(Guid Instance, int Count)> RunLoopAsync(BenchEngine bench, string definition, int rounds)
    {
        var run = await bench.Get<WorkflowRuntime>().StartAsync(new StartWorkflowRequest(definition) { Initiator = "bench", Input = new() { ["limit"] = rounds } });
        if (!run.IsSuccess) throw new InvalidOperationException(run.ToString());
        var instance = run.Value.InstanceId;
        var tasks = bench.Get<TaskService>();
        while (await OpenTaskAsync(bench, instance) is { } task)
        {
            var approved = await tasks.ApproveAsync(task, Reviewer, "同意");
            if (!approved.IsSuccess) throw new InvalidOperationException(approved.ToString());
        }

        await using var db = await bench.ContextAsync();
        if (await db.Instances.Where(i => i.Id == instance).Select(i => i.Status).SingleAsync() != WorkflowStatus.Finished)
            throw new InvalidOperationException($"the {definition} instance did not finish");
        return (instance, (await bench.Get<WorkflowQueries>().GetJournalAsync(instance)).Count);
    }

    private static async Task<Guid?> OpenTaskAsync(BenchEngine bench, Guid instance)
    {
        await using var db = await bench.ContextAsync();
        return await db.Tasks.Where(t => t.InstanceId == instance && t.Status == TaskStatuses.Open).Select(t => (Guid?)t.Id).FirstOrDefaultAsync();
    }

    private static async Task RowAsync(BenchEngine bench, DatabaseProvider provider, string journal, Guid instance, int count)
    {
        var chain = await MedianAsync(async () =>
        {
            var result = await bench.Get<JournalVerifier>().VerifyAsync(instance);
            if (result is not { IsIntact: true } || result.EntryCount != count) throw new InvalidOperationException("the journal does not verify");
        });
        var checkpoints = 0;
        var cpu = new List<double>();
        var signed = await MedianAsync(async () =>
        {
            var result = await bench.Get<AuditVerifier>().VerifyRecordedAsync(instance);
            if (result is not { HashChain.IsIntact: true, Integrity.Passed: true } verified || verified.Integrity.Signatures.SignedThrough != count
                || verified.Integrity.Anchor.Anchored != verified.Integrity.Signatures.Checkpoints)
                throw new InvalidOperationException($"the {journal} journal does not verify signed: {result?.Integrity.Signatures.Summary} {result?.Integrity.Anchor.Summary}");
            checkpoints = verified.Integrity.Signatures.Checkpoints;
        }, cpu);
        var replay = await MedianAsync(async () =>
        {
            var result = await bench.Get<JournalReplayer>().ReplayAsync(instance);
            if (result is not { Reproducible: true } || result.EntriesCompared != count)
                throw new InvalidOperationException($"the {journal} journal does not replay: {result?.FirstDifference}");
        });
        var audit = await MedianAsync(async () =>
        {
            var result = await bench.Get<AuditVerifier>().VerifyAsync(instance);
            if (result is not { IsIntactAndReproducible: true }) throw new InvalidOperationException($"the {journal} journal fails the audit verify");
        });
        var snapshots = await MedianAsync(async () =>
        {
            if ((await bench.Get<JournalSnapshots>().GetAsync(instance))?.Count != count) throw new InvalidOperationException("snapshots short");
        });
        var read = await MedianAsync(async () =>
        {
            if ((await bench.Get<WorkflowQueries>().GetJournalAsync(instance)).Count != count) throw new InvalidOperationException("journal read short");
        });
        Report.Row(BenchEngine.Name(provider), journal, count.ToString("N0", CultureInfo.InvariantCulture),
            Measure.Milliseconds(chain), checkpoints.ToString(CultureInfo.InvariantCulture), Measure.Milliseconds(signed), Measure.Milliseconds(cpu[cpu.Count / 2]),
            Measure.Milliseconds(replay), Measure.Milliseconds(audit), Measure.Milliseconds(snapshots), Measure.Milliseconds(read));
    }

    /// <summary>The median wall time of 10 runs after 2 warm-up runs; with <paramref name="cpu"/>, each run's process CPU time too (sorted).</summary>
    private static async Task<double> MedianAsync(Func<Task> operation, List<double>? cpu = null)
    {
        for (var i = 0; i < 2; i++) await operation();
        var times = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < 10; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await operation();
            times.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu?.Add((process.TotalProcessorTime - before).TotalMilliseconds);
        }

        times.Sort();
        cpu?.Sort();
        return times[times.Count / 2];
    }
}
