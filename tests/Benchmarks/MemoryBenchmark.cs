using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Timers;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// The working set of a node with the engine and the Quartz timers up, over a database holding many suspended instances
/// and over an empty one: each measured in a fresh child process (<see cref="ProbeVerb"/>), after a full blocking GC.
/// Equal figures show that a waiting instance lives in the database, not in the node's memory.
/// </summary>
internal static class MemoryBenchmark
{
    public const string ProbeVerb = "memory-probe";
    private const string Definition = "bench-wait";

    public static async Task RunAsync(IReadOnlyList<DatabaseProvider> providers, string root, int count)
    {
        Report.Section("Memory",
            $"A node (engine, Quartz timers with the due-bookmark sweep, started as the Host starts them) in a fresh process over a " +
            $"database with {count:N0} suspended instances (Start → WaitForEvent: one started by the engine, the rest bulk copies of it " +
            "with their own ids and re-hashed journals) and over an empty database. The probe waits 3 s, resumes 20 of the waiting " +
            "instances (each must finish and its journal verify), then measures after a full blocking, compacting GC. MB.");
        Report.Table("database", "suspended instances", "created /s", "working set, empty", $"working set, {count:N0} waiting", "managed heap, empty", $"managed heap, {count:N0} waiting");
        foreach (var provider in providers)
        {
            await using var empty = await BenchEngine.CreateAsync(provider, root);
            await using var full = await BenchEngine.CreateAsync(provider, root);
            foreach (var bench in new[] { empty, full })
                await bench.PublishAsync(new DefinitionBuilder(Definition).Add("start", "Start").Add("wait", "WaitForEvent", Event("bench.go"))
                    .Add("end", "End").Chain("start", "wait", "end").Build());
            var created = await CreateSuspendedAsync(full, count);
            // The child processes open the files and databases themselves: release this process's pooled connections.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            var idle = await RunProbeAsync(empty);
            var loaded = await RunProbeAsync(full);
            if (loaded.Waiting != count - 20 || idle.Waiting != 0) throw new InvalidOperationException($"probe saw {loaded.Waiting} and {idle.Waiting} waiting instances");
            Report.Row(BenchEngine.Name(provider), count.ToString("N0", CultureInfo.InvariantCulture), Measure.Format(created),
                Measure.Megabytes(idle.WorkingSet), Measure.Megabytes(loaded.WorkingSet), Measure.Megabytes(idle.Heap), Measure.Megabytes(loaded.Heap));
        }
    }

    /// <summary>
    /// One instance started by the engine, then copied in bulk (binary COPY / one prepared INSERT): each copy gets its own
    /// instance and bookmark ids and its journal re-hashed for its id, so each is a valid waiting instance the engine can resume.
    /// </summary>
    private static async Task<double> CreateSuspendedAsync(BenchEngine bench, int count)
    {
        var watch = Stopwatch.StartNew();
        var run = await bench.Get<WorkflowRuntime>().StartAsync(new StartWorkflowRequest(Definition) { Initiator = "bench", CorrelationId = "waiting-0" });
        if (run.Value is not { Status: WorkflowStatus.Suspended }) throw new InvalidOperationException(run.ToString());
        InstanceRecord instance;
        BookmarkRecord bookmark;
        List<JournalRecord> journal;
        await using (var db = await bench.ContextAsync())
        {
            instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == run.Value.InstanceId);
            bookmark = await db.Bookmarks.AsNoTracking().SingleAsync(b => b.InstanceId == instance.Id);
            journal = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instance.Id).OrderBy(j => j.Sequence).ToListAsync();
        }

        var ids = Enumerable.Range(1, count - 1).Select(_ => Guid.NewGuid()).ToArray();
        var heads = new string[ids.Length];
        await using (var loader = await BulkLoader.OpenAsync(bench, WorkflowDbContext.Tables.Journal, "InstanceId", "Sequence", "Timestamp", "EventName",
                         "ActivityId", "ActivityType", "ActivityExecutionId", "Outcome", "InputsJson", "OutputsJson", "Actor", "Message", "PreviousHash", "Hash"))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                var previous = "";
                foreach (var entry in journal)
                {
                    var copy = new JournalRecord
                    {
                        InstanceId = ids[i], Sequence = entry.Sequence, Timestamp = entry.Timestamp, EventName = entry.EventName, ActivityId = entry.ActivityId,
                        ActivityType = entry.ActivityType, ActivityExecutionId = entry.ActivityExecutionId, Outcome = entry.Outcome, InputsJson = entry.InputsJson,
                        OutputsJson = entry.OutputsJson, Actor = entry.Actor, Message = entry.Message, PreviousHash = previous, Hash = "",
                    };
                    copy.Hash = Workflows.Journal.JournalHasher.Compute(copy);
                    previous = copy.Hash;
                    await loader.RowAsync(copy.InstanceId, copy.Sequence, copy.Timestamp, copy.EventName, copy.ActivityId, copy.ActivityType,
                        copy.ActivityExecutionId, copy.Outcome, copy.InputsJson, copy.OutputsJson, copy.Actor, copy.Message, copy.PreviousHash, copy.Hash);
                }

                heads[i] = previous;
            }
        }

        await using (var loader = await BulkLoader.OpenAsync(bench, WorkflowDbContext.Tables.Instances, "Id", "DefinitionId", "DefinitionVersionId",
                         "DefinitionVersion", "Status", "CorrelationId", "Initiator", "StateJson", "CreatedAt", "UpdatedAt", "JournalSequence", "JournalHeadHash", "Revision"))
        {
            for (var i = 0; i < ids.Length; i++)
                await loader.RowAsync(ids[i], instance.DefinitionId, instance.DefinitionVersionId, instance.DefinitionVersion, instance.Status,
                    $"waiting-{i + 1}", instance.Initiator, instance.StateJson, instance.CreatedAt, instance.UpdatedAt, instance.JournalSequence, heads[i], instance.Revision);
        }

        await using (var loader = await BulkLoader.OpenAsync(bench, WorkflowDbContext.Tables.Bookmarks, "Id", "InstanceId", "ActivityId",
                         "ActivityExecutionId", "Name", "CorrelationKey", "PayloadJson", "Attempt", "Status", "CreatedAt"))
        {
            foreach (var id in ids)
                await loader.RowAsync(Guid.NewGuid(), id, bookmark.ActivityId, bookmark.ActivityExecutionId, bookmark.Name, bookmark.CorrelationKey,
                    bookmark.PayloadJson, bookmark.Attempt, bookmark.Status, bookmark.CreatedAt);
        }

        await using (var db = await bench.ContextAsync()) await db.Database.ExecuteSqlRawAsync("ANALYZE");
        return count / watch.Elapsed.TotalSeconds;
    }

    private sealed record Probe(long WorkingSet, long Heap, int Waiting);

    private static async Task<Probe> RunProbeAsync(BenchEngine bench)
    {
        var self = Path.Combine(AppContext.BaseDirectory, "PdsWorkflow.Benchmarks.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { self, ProbeVerb, bench.Provider.ToString(), bench.ConnectionString }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the probe did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("PROBE ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"the probe failed (exit {process.ExitCode}): {output}");
        var parts = line.Split(' ');
        return new Probe(long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The child: a node as the Host builds it (engine and timers), started, measured, stopped.</summary>
    public static async Task<int> ProbeAsync(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = args[0],
            ["Database:ConnectionString"] = args[1],
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWorkflowEngine(builder.Configuration);
        builder.Services.AddWorkflowTimers(builder.Configuration);
        using var host = builder.Build();
        await host.Services.GetRequiredService<WorkflowStore>().MigrateAsync(CancellationToken.None);
        await host.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));

        var runtime = host.Services.GetRequiredService<WorkflowRuntime>();
        List<Guid> some;
        await using (var db = await host.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            some = await db.Bookmarks.Where(b => b.Status == BookmarkStatus.Open).OrderBy(b => b.Id).Select(b => b.Id).Take(20).ToListAsync();
        foreach (var bookmark in some)
        {
            var resumed = await runtime.ResumeAsync(bookmark, null, "bench");
            if (resumed.Value is not { Status: WorkflowStatus.Finished }) throw new InvalidOperationException($"resume {bookmark}: {resumed}");
            if (await host.Services.GetRequiredService<Workflows.Journal.JournalVerifier>().VerifyAsync(resumed.Value.InstanceId) is not { IsIntact: true })
                throw new InvalidOperationException($"the journal of {resumed.Value.InstanceId} does not verify");
        }

        int waiting;
        await using (var db = await host.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            waiting = await db.Instances.CountAsync(i => i.Status == WorkflowStatus.Suspended);

        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(FormattableString.Invariant($"PROBE {self.WorkingSet64} {GC.GetTotalMemory(false)} {waiting}"));
        await host.StopAsync();
        return 0;
    }
}
