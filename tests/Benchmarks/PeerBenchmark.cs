using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;
using PeerStatus = WorkflowCore.Models.WorkflowStatus;
using WorkflowStatus = PdsWorkflow.Workflows.Runtime.WorkflowStatus;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// The engine beside a peer, WorkflowCore 3.22.0 with its in-memory store (the only one that restores here), in one
/// process: a 10-step automatic sequence and a 3-step approval, cases per second, CPU and bytes allocated per case.
/// Ours runs one case at a time and commits every burst to SQLite (a file, as the product runs it); the peer runs in
/// memory with many cases in flight on its own worker threads, its best rate. Warm-up until the JIT is quiet, then
/// rounds of equal windows, ours and the peer's interleaved; medians of the rounds.
/// </summary>
internal static class PeerBenchmark
{
    private const string Sequence = "peer-sequence10";
    private const int InFlight = 100;
    private const int Rounds = 5;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string root)
    {
        Report.Section("Beside a peer engine",
            $"WorkflowCore 3.22.0 in memory, {InFlight} cases in flight on its worker threads (one per core), against ours one case at a time " +
            "committing each burst to SQLite (a file). Sequence: Start → 10 automatic steps → End (ours: SetVariable with a literal; the peer: " +
            "inline steps that increment the data). Approval: start, then three approvals of one person each (ours: `TaskService.ApproveAsync`, " +
            "each preceded by the read of the open task's id as the UI would have it; the peer: `WaitFor` steps resumed by `PublishEvent`). " +
            $"Warm-up until the JIT is quiet, then {Rounds} rounds of 1 s windows, ours and the peer's interleaved; medians. CPU and allocations are " +
            "the process's (every thread) per case.");
        await using var bench = await BenchEngine.CreateAsync(PdsWorkflow.Workflows.Persistence.DatabaseProvider.Sqlite, root);
        var approvers = EngineBenchmark.Steps.Select(EngineBenchmark.Approver).ToArray();
        await bench.SeedUsersAsync(approvers);
        var sequence = new DefinitionBuilder(Sequence).Variable("n", 0).Add("start", "Start");
        for (var i = 1; i <= 10; i++) sequence.Add($"s{i}", "SetVariable", ("variable", Literal("n")), ("value", Literal(i)));
        await bench.PublishAsync(sequence.Add("end", "End").Chain(["start", .. Enumerable.Range(1, 10).Select(i => $"s{i}"), "end"]).Build());
        await bench.PublishAsync(EngineBenchmark.ApprovalDefinition());
        var ours = new Ours(bench);
        await using var peer = await Peer.StartAsync();

        var brief = TimeSpan.FromMilliseconds(200);
        await Measure.UntilJitQuietAsync(async () =>
        {
            await Measure.WindowAsync(brief, ours.SequenceAsync);
            await Measure.WindowAsync(brief, ours.ApprovalAsync);
            await Measure.WindowAsync(brief, peer.SequencesAsync);
            await Measure.WindowAsync(brief, peer.ApprovalsAsync);
        }, TimeSpan.FromSeconds(90));

        var rounds = new List<(Window OurSequence, Window PeerSequence, Window OurApproval, Window PeerApproval)>();
        for (var round = 0; round < Rounds; round++)
        {
            var ourFirst = round % 2 == 0;
            var (a, b) = await PairAsync(ourFirst, ours.SequenceAsync, peer.SequencesAsync);
            var (c, d) = await PairAsync(ourFirst, ours.ApprovalAsync, peer.ApprovalsAsync);
            rounds.Add((a, b, c, d));
        }

        Report.Table("case", "ours /s", "peer /s", "ours / peer", "ours CPU ms", "peer CPU ms", "ours KB", "peer KB", "ours KB / peer KB");
        Row("10-step automatic sequence", rounds.Select(r => (r.OurSequence, r.PeerSequence)).ToList());
        Row("3-step approval", rounds.Select(r => (r.OurApproval, r.PeerApproval)).ToList());
    }

    /// <summary>One window of ours and one of the peer's, in the order given; the peer's operations are batches of <see cref="InFlight"/> cases.</summary>
    private static async Task<(Window Ours, Window Peer)> PairAsync(bool ourFirst, Func<int, Task<bool>> ours, Func<int, Task<bool>> peer)
    {
        Window mine, theirs;
        if (ourFirst)
        {
            mine = await Measure.WindowAsync(Window, ours);
            theirs = await Measure.WindowAsync(Window, peer);
        }
        else
        {
            theirs = await Measure.WindowAsync(Window, peer);
            mine = await Measure.WindowAsync(Window, ours);
        }

        return (mine, theirs with { Operations = theirs.Operations * InFlight });
    }

    private static void Row(string name, IReadOnlyList<(Window Ours, Window Peer)> rounds)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var ours = Measure.Median(rounds.Select(r => r.Ours.PerSecond));
        var peer = Measure.Median(rounds.Select(r => r.Peer.PerSecond));
        var ourKb = Measure.Median(rounds.Select(r => r.Ours.AllocatedKilobytes));
        var peerKb = Measure.Median(rounds.Select(r => r.Peer.AllocatedKilobytes));
        Report.Row(name, Measure.Format(ours), Measure.Format(peer), F(Measure.Median(rounds.Select(r => r.Ours.PerSecond / r.Peer.PerSecond)), "0.00"),
            F(Measure.Median(rounds.Select(r => r.Ours.CpuMilliseconds)), "0.00"), F(Measure.Median(rounds.Select(r => r.Peer.CpuMilliseconds)), "0.00"),
            F(ourKb, "0"), F(peerKb, "0"), F(ourKb / peerKb, "0.0"));
    }

    /// <summary>Our cases, one at a time: each window operation runs one whole case.</summary>
    private sealed class Ours(BenchEngine bench)
    {
        private readonly WorkflowRuntime _runtime = bench.Get<WorkflowRuntime>();
        private readonly TaskService _tasks = bench.Get<TaskService>();

        public async Task<bool> SequenceAsync(int _)
        {
            var run = await _runtime.StartAsync(new StartWorkflowRequest(Sequence) { Initiator = "bench" });
            return run.Value is { Status: WorkflowStatus.Finished } ? true : throw new InvalidOperationException(run.ToString());
        }

        public async Task<bool> ApprovalAsync(int _)
        {
            var run = await _runtime.StartAsync(new StartWorkflowRequest(EngineBenchmark.Approval) { Initiator = "bench.applicant", Input = new JsonObject { ["title"] = "库表订阅申请" } });
            if (run.Value is not { Status: WorkflowStatus.Suspended }) throw new InvalidOperationException(run.ToString());
            foreach (var step in EngineBenchmark.Steps)
            {
                Guid task;
                await using (var db = await bench.ContextAsync())
                    task = await db.Tasks.Where(t => t.InstanceId == run.Value.InstanceId && t.Status == TaskStatuses.Open).Select(t => t.Id).SingleAsync();
                var approved = await _tasks.ApproveAsync(task, EngineBenchmark.Approver(step), "同意");
                if (!approved.IsSuccess) throw new InvalidOperationException(approved.ToString());
            }

            return true;
        }
    }

    /// <summary>WorkflowCore's host in memory; each window operation runs a batch of <see cref="InFlight"/> cases at once.</summary>
    private sealed class Peer : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly IWorkflowHost _host;
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _running = new();
        private int _operations;

        private Peer(ServiceProvider services)
        {
            _services = services;
            _host = services.GetRequiredService<IWorkflowHost>();
            _host.OnLifeCycleEvent += evt =>
            {
                if (evt is WorkflowCompleted && _running.TryRemove(evt.WorkflowInstanceId, out var done)) done.TrySetResult();
            };
            _host.OnStepError += (workflow, step, exception) =>
            {
                if (_running.TryRemove(workflow.Id, out var failed)) failed.TrySetException(exception);
            };
        }

        public static Task<Peer> StartAsync()
        {
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            services.AddWorkflow();
            var peer = new Peer(services.BuildServiceProvider());
            peer._host.RegisterWorkflow<SequenceWorkflow, PeerData>();
            peer._host.RegisterWorkflow<ApprovalWorkflow, PeerData>();
            peer._host.Start();
            return Task.FromResult(peer);
        }

        /// <summary>One batch of <see cref="InFlight"/> cases, started together and awaited together.</summary>
        public Task<bool> SequencesAsync(int _) => BatchAsync(async () => await _host.StartWorkflow(SequenceWorkflow.Name, new PeerData()));

        public Task<bool> ApprovalsAsync(int _) => BatchAsync(async () =>
        {
            var key = $"case-{Interlocked.Increment(ref _operations)}";
            var id = await _host.StartWorkflow(ApprovalWorkflow.Name, new PeerData { Key = key });
            for (var step = 1; step <= 3; step++) await _host.PublishEvent(ApprovalWorkflow.Event, $"{key}:{step}", "同意");
            return id;
        });

        private async Task<bool> BatchAsync(Func<Task<string>> start)
        {
            var waits = new List<Task>(InFlight);
            for (var i = 0; i < InFlight; i++)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // The id is known only once started; a case that ends before it is registered is found by the id check below.
                var id = await start();
                if (!_running.TryAdd(id, done)) throw new InvalidOperationException(id);
                if ((await _host.PersistenceStore.GetWorkflowInstance(id)).Status == PeerStatus.Complete && _running.TryRemove(id, out var early))
                    early.TrySetResult();
                waits.Add(done.Task);
            }

            await Task.WhenAll(waits).WaitAsync(TimeSpan.FromMinutes(1));
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            _host.Stop();
            await _services.DisposeAsync();
        }
    }

    internal sealed class PeerData
    {
        public int N { get; set; }
        public string? Key { get; set; }
        public object? Decision { get; set; }
    }

    private sealed class SequenceWorkflow : IWorkflow<PeerData>
    {
        public const string Name = "peer-sequence10";

        public string Id => Name;
        public int Version => 1;

        public void Build(IWorkflowBuilder<PeerData> builder)
        {
            var step = builder.StartWith(_ => ExecutionResult.Next());
            for (var i = 0; i < 10; i++) step = step.Then(Increment);
        }

        private static ExecutionResult Increment(IStepExecutionContext context)
        {
            ((PeerData)context.Workflow.Data).N++;
            return ExecutionResult.Next();
        }
    }

    private sealed class ApprovalWorkflow : IWorkflow<PeerData>
    {
        public const string Name = "peer-approval3";
        public const string Event = "approve";

        public string Id => Name;
        public int Version => 1;

        // Events published before their step subscribes count (effective from the beginning of time), as a decision
        // recorded while the case is still on its way to the step.
        public void Build(IWorkflowBuilder<PeerData> builder) =>
            builder.StartWith(_ => ExecutionResult.Next())
                .WaitFor(Event, data => data.Key + ":1", _ => DateTime.MinValue).Output(data => data.Decision, step => step.EventData)
                .WaitFor(Event, data => data.Key + ":2", _ => DateTime.MinValue).Output(data => data.Decision, step => step.EventData)
                .WaitFor(Event, data => data.Key + ":3", _ => DateTime.MinValue).Output(data => data.Decision, step => step.EventData);
    }
}
