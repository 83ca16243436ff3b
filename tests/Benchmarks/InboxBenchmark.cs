using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// Latency of the inbox queries (<see cref="TaskQueries"/>, as the API calls them) over a bulk-loaded task table: 2,000
/// users in 40 units, five processes, one instance per three tasks; of the tasks 60 % completed, 30 % open and assigned,
/// 10 % open in a pool of three candidates; due dates ±30 days around now.
/// </summary>
internal static class InboxBenchmark
{
    private const int Users = 2_000;
    private const int Units = 40;
    private const int Processes = 5;
    private const int Samples = 300;

    public static async Task RunAsync(IReadOnlyList<DatabaseProvider> providers, string root, IReadOnlyList<int> sizes)
    {
        Report.Section("Inbox",
            $"{Samples} calls per query after 30 warm-up calls, each for a random user, page 1 of 20, sequential; milliseconds. " +
            "Data: 2,000 users in 40 units, five processes, one instance per three tasks; 60 % of the tasks completed, 30 % open and " +
            "assigned, 10 % open in a pool of three candidates (loaded with binary COPY on PostgreSQL, one prepared INSERT in one " +
            "transaction on SQLite, then ANALYZE).");
        Report.Table("database", "tasks", "load s", "my tasks p50 / p95", "claimable p50 / p95", "done p50 / p95", "badge counts p50 / p95", "my applications p50 / p95");
        foreach (var size in sizes)
            foreach (var provider in providers)
                await MeasureAsync(provider, root, size);
    }

    private static async Task MeasureAsync(DatabaseProvider provider, string root, int tasks)
    {
        await using var bench = await BenchEngine.CreateAsync(provider, root);
        var definitions = new List<Guid>();
        for (var p = 0; p < Processes; p++)
        {
            await bench.PublishAsync(new DefinitionBuilder($"process-{p}").Add("start", "Start").Add("end", "End").Chain("start", "end").Build());
            await using var db = await bench.ContextAsync();
            definitions.Add(await db.Definitions.Where(d => d.DefinitionId == $"process-{p}").Select(d => d.Id).SingleAsync());
        }

        var watch = Stopwatch.StartNew();
        await LoadAsync(bench, tasks, definitions);
        await using (var db = await bench.ContextAsync()) await db.Database.ExecuteSqlRawAsync("ANALYZE");
        var load = watch.Elapsed.TotalSeconds;

        var queries = bench.Get<TaskQueries>();
        var page = new InboxQuery();
        var random = new Random(42);
        string User() => UserName(random.Next(Users));
        var mine = await Measure.LatencyAsync(30, Samples, async _ => Check((await queries.MyTasksAsync(User(), page)).Total >= 0));
        var claimable = await Measure.LatencyAsync(30, Samples, async _ => Check((await queries.ClaimableAsync(User(), page)).Total >= 0));
        var done = await Measure.LatencyAsync(30, Samples, async _ => Check((await queries.DoneAsync(User(), page)).Total >= 0));
        var counts = await Measure.LatencyAsync(30, Samples, async _ => Check((await queries.CountsAsync(User())).Mine >= 0));
        var applications = await Measure.LatencyAsync(30, Samples, async _ => Check((await queries.MyApplicationsAsync(User())).Total >= 0));

        // The data must be what the figures claim: a user's inbox holds about tasks × 30 % / users open tasks.
        var sample = await queries.MyTasksAsync(UserName(7), page);
        if (sample.Total == 0 || sample.Items.Count == 0) throw new InvalidOperationException("the loaded inbox is empty");

        Report.Row(BenchEngine.Name(provider), tasks.ToString("N0", CultureInfo.InvariantCulture), load.ToString("0", CultureInfo.InvariantCulture),
            Pair(mine), Pair(claimable), Pair(done), Pair(counts), Pair(applications));
    }

    private static void Check(bool condition)
    {
        if (!condition) throw new InvalidOperationException("unexpected query result");
    }

    private static string Pair(Latency latency) => $"{Measure.Milliseconds(latency.P50)} / {Measure.Milliseconds(latency.P95)}";

    private static string UserName(int index) => $"u{index:D4}";

    private static async Task LoadAsync(BenchEngine bench, int tasks, IReadOnlyList<Guid> definitions)
    {
        var now = DateTime.SpecifyKind(TimeProvider.System.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
        var instances = (tasks + 2) / 3;
        var instanceIds = Enumerable.Range(0, instances).Select(_ => Guid.NewGuid()).ToArray();

        await using (var loader = await BulkLoader.OpenAsync(bench, T.Instances, "Id", "DefinitionId", "DefinitionVersionId", "DefinitionVersion", "Status",
                         "Initiator", "StateJson", "CreatedAt", "UpdatedAt", "FinishedAt", "JournalSequence", "JournalHeadHash", "Revision"))
        {
            for (var i = 0; i < instances; i++)
            {
                var created = now.AddMinutes(-i % 86_400);
                var finished = i % 5 < 3;
                await loader.RowAsync(instanceIds[i], $"process-{i % Processes}", definitions[i % Processes], 1,
                    finished ? WorkflowStatus.Finished : WorkflowStatus.Suspended, UserName(Spread(i)), "{}", created, created,
                    finished ? created.AddDays(3) : null, 0L, "", 0);
            }
        }

        // One loader at a time: a SQLite file has one writer.
        var candidates = new List<(Guid Task, string User)>(tasks * 12 / 10);
        await using (var taskLoader = await BulkLoader.OpenAsync(bench, T.Tasks, "Id", "InstanceId", "BookmarkId", "ActivityId", "ActivityExecutionId",
            "DefinitionId", "ProcessName", "Title", "Status", "SignerKind", "ApprovalMode", "AssigneeId", "OrgUnitId", "Outcome", "CompletedBy", "CompletedAt",
            "DueAt", "YellowAt", "ExtensionPending", "UrgeCount", "CreatedAt", "Revision"))
        {
            for (var i = 0; i < tasks; i++)
            {
                var id = Guid.NewGuid();
                var user = Spread(i * 7 + 3);
                var kind = i % 10;
                var completed = kind < 6;
                var pool = kind == 9;
                var due = now.AddMinutes((i % 86_400) - 43_200);
                await taskLoader.RowAsync(id, instanceIds[i / 3], Guid.NewGuid(), $"step{i % 3 + 1}", Guid.NewGuid(),
                    $"process-{i % Processes}", $"流程 {i % Processes}", $"库表订阅申请 第 {i} 号", completed ? TaskStatuses.Completed : TaskStatuses.Open,
                    SignerKinds.Primary, "single", pool ? null : UserName(user), $"unit{user % Units:D2}", completed ? "Approve" : null,
                    completed ? UserName(user) : null, completed ? due.AddDays(-1) : null, due, due.AddDays(-2), false, 0, due.AddDays(-10), 0);
                if (pool)
                    for (var c = 0; c < 3; c++) candidates.Add((id, UserName((user + c * 101) % Users)));
                else
                    candidates.Add((id, UserName(user)));
            }
        }

        await using var candidateLoader = await BulkLoader.OpenAsync(bench, T.TaskCandidates, "TaskId", "UserId");
        foreach (var (task, user) in candidates) await candidateLoader.RowAsync(task, user);
    }

    /// <summary>Scatters consecutive rows over the users.</summary>
    private static int Spread(int i) => (int)((uint)i * 2_654_435_761u % Users);
}
