using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Reliability.Node;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// A node process runs a batch of instances (each with two outbox pings to a local peer and a timer between them) and is
/// killed with SIGKILL at random moments, again and again; then it runs to the end. Every instance must wait at its final
/// step, every step before it must have run once (journal), and the peer must have every ping, applied once.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CrashTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    [Test]
    public async Task A_node_killed_at_random_points_neither_loses_nor_repeats_a_step_or_a_message()
    {
        var instances = Scale.Times(30);
        var kills = Scale.Times(4);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var peer = new LocalPeer();
        var connection = Services.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value.ConnectionString;
        string[] arguments =
        [
            $"--Database:Provider={Provider}", $"--Database:ConnectionString={connection}", $"--Peer:Url={peer.Url}",
            $"--Batch:Count={instances}", "--Timers:SweepInterval=00:00:02", "--Timers:InstanceName=reliability-crash",
        ];

        var log = new List<string>();
        var midway = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            var (node, ready) = StartNode(arguments);
            using (node)
            {
                // Killed at a random moment once the node is working (its first start committed, scheduler and
                // dispatcher up): while it starts instances, fires timers or delivers pings.
                await ready.WaitAsync(TimeSpan.FromMinutes(2));
                // A node may finish the whole batch well within two seconds on a quiet machine, so the kill also falls
                // when the cases started reach a random count short of the batch, whichever comes first.
                var lifetime = TimeSpan.FromMilliseconds(random.Next(20, 2_000));
                var target = random.Next(1, instances);
                var (exited, working) = await WorkUntilAsync(node, lifetime, target);
                Assert.That(exited, Is.False, () => $"the node ended by itself before kill {kill}: {node.StandardError.ReadToEnd()}");
                node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync();
                var progress = await ProgressAsync();
                if (progress.Started > 0 && progress.Sent < 2 * instances) midway++;
                log.Add($"kill {kill + 1}, {working.TotalMilliseconds:0} ms into work (at most {lifetime.TotalMilliseconds:0} ms or {target} started): {progress}");
            }
        }

        var (last, _) = StartNode([.. arguments, "--Batch:UntilDone=true"]);
        using (last)
        {
            var finished = last.WaitForExit(TimeSpan.FromMinutes(3));
            if (!finished) last.Kill(entireProcessTree: true);
            Assert.That((finished, finished ? last.ExitCode : -1), Is.EqualTo((true, 0)), () => $"the last run did not finish: {last.StandardError.ReadToEnd()}");
        }

        log.Add($"end: {await ProgressAsync()}");
        TestContext.Out.WriteLine($"{Provider}, seed {seed}, {instances} instances, {kills} kills\n  " + string.Join("\n  ", log));
        Assert.That(midway, Is.GreaterThan(0), "at least one kill fell in the middle of the batch");
        await AssertBatchAsync(peer, instances);
    }

    private async Task AssertBatchAsync(LocalPeer peer, int instances)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var rows = await db.Instances.AsNoTracking().Where(i => i.DefinitionId == CrashBatch.DefinitionId).ToListAsync();
        Assert.That(rows.Select(r => r.CorrelationId).Order(), Is.EqualTo(Enumerable.Range(0, instances).Select(CrashBatch.Correlation)),
            "each instance of the batch started once");

        var expectedKeys = rows.SelectMany(r => new[] { $"{r.Id:N}:ping1", $"{r.Id:N}:ping2" }).ToHashSet();
        var outbox = await db.Outbox.AsNoTracking().Where(m => m.Type == Ping.MessageType).ToListAsync();
        var repeats = peer.Received.Values.Sum(n => n - 1);
        TestContext.Out.WriteLine($"peer: {peer.Received.Count} keys, {repeats} repeated deliveries (de-duplicated by key)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Status), Is.All.EqualTo(WorkflowStatus.Suspended), "every instance waits");
            Assert.That(outbox.Select(m => m.Key), Is.EquivalentTo(expectedKeys), "one outbox message per ping step");
            Assert.That(outbox.Select(m => m.SentAt), Is.All.Not.Null, "every message delivered");
            Assert.That(peer.Received.Keys, Is.EquivalentTo(expectedKeys), "the peer got every ping and nothing else");
            Assert.That(peer.Applied, Is.EquivalentTo(expectedKeys), "and applied each once");
            Assert.That(peer.WithoutKey, Is.Zero, "every delivery carried its idempotency key");
        }

        foreach (var row in rows)
        {
            var open = await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == row.Id && b.Status == BookmarkStatus.Open).Select(b => b.ActivityId).ToListAsync();
            var journal = await Queries.GetJournalAsync(row.Id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(open, Is.EqualTo(new[] { CrashBatch.FinalActivity }), $"{row.CorrelationId} waits at the final step only");
                foreach (var activity in CrashBatch.OnceActivities)
                    Assert.That(journal.Count(j => j.ActivityId == activity && j.EventName == JournalEvents.ActivityCompleted), Is.EqualTo(1),
                        $"{row.CorrelationId}: {activity} ran once");
                Assert.That(journal.Count(j => j.EventName == JournalEvents.WorkflowStarted), Is.EqualTo(1));
                Assert.That((await Verifier.VerifyAsync(row.Id))!.IsIntact, Is.True, $"{row.CorrelationId}: the journal verifies");
            }
        }
    }

    private sealed record Progress(int Started, int Waiting, int Sent, int Queued)
    {
        public override string ToString() => $"{Started} started, {Waiting} at the final step, {Sent}/{Queued} messages sent";
    }

    /// <summary>Lets the node work for <paramref name="lifetime"/> or until <paramref name="started"/> cases have started; true when it ended by itself.</summary>
    private async Task<(bool Exited, TimeSpan Working)> WorkUntilAsync(Process node, TimeSpan lifetime, int started)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < lifetime)
        {
            if (node.HasExited) return (true, watch.Elapsed);
            if ((await ProgressAsync()).Started >= started) break;
            await Task.Delay(10);
        }

        return (node.HasExited, watch.Elapsed);
    }

    private async Task<Progress> ProgressAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var started = await db.Instances.CountAsync(i => i.DefinitionId == CrashBatch.DefinitionId);
        var waiting = await db.Bookmarks.CountAsync(b => b.ActivityId == CrashBatch.FinalActivity && b.Status == BookmarkStatus.Open);
        var sent = await db.Outbox.CountAsync(m => m.SentAt != null);
        var queued = await db.Outbox.CountAsync();
        return new Progress(started, waiting, sent, queued);
    }

    /// <summary>The node's own build output, next to this project's (same configuration).</summary>
    private static (Process Node, Task Ready) StartNode(IEnumerable<string> arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PdsWorkflow.Reliability.Node.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("the node did not start");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data == "WORKING") ready.TrySetResult();
        };
        process.BeginOutputReadLine();
        return (process, ready.Task);
    }
}
