using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PdsWorkflow.Reliability.Node;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// Two nodes on one PostgreSQL database, each with its own clustered Quartz scheduler and outbox dispatcher. Instances
/// are started on both; their timers fire on whichever node; then each task is approved at the same moment through
/// both nodes by two committee members. Each timer resumes once, each task completes once, every journal verifies.
/// </summary>
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class TwoNodeTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    [OneTimeSetUp]
    public Task SeedOrganizationAsync() => TestOrganization.SeedAsync(Services);

    [Test]
    public async Task Timers_fire_once_and_tasks_complete_once_across_two_nodes()
    {
        var id = UniqueId("two-nodes");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").Add("wait", "Delay", ("duration", DefinitionBuilder.Literal("00:00:02")))
            .UserTask("review", HumanSteps.Role(TestOrganization.Committee)).Add("end", "End").Add("rejected", "End")
            .Chain("start", "wait", "review").Connect("review:Approve", "end").Connect("review:Reject", "rejected").Build());

        var connection = Services.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value.ConnectionString;
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["Database:ConnectionString"] = connection,
            ["Timers:InstanceName"] = "reliability-two-nodes",
            // The triggers, not the sweep, must fire the timers: the sweep runs only as a node starts.
            ["Timers:SweepInterval"] = "01:00:00",
        };
        using var a = NodeHost.Build(settings);
        using var b = NodeHost.Build(settings);
        await a.Services.GetRequiredService<WorkflowStore>().MigrateAsync(CancellationToken.None);
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        IHost[] nodes = [a, b];
        try
        {
            var count = Scale.Times(40);
            var instances = new List<Guid>();
            for (var i = 0; i < count; i++)
            {
                var started = await nodes[i % 2].Services.GetRequiredService<WorkflowRuntime>()
                    .StartAsync(new StartWorkflowRequest(id) { Initiator = "applicant", CorrelationId = $"two-{i}" });
                Assert.That(started.IsSuccess, Is.True, started.ToString());
                instances.Add(started.Value.InstanceId);
            }

            var tasks = await WaitForReviewTasksAsync(instances);

            // Every task is approved at the same moment by member1 through node a and member2 through node b.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var races = tasks.SelectMany(task => new[] { (Node: 0, Member: "member1"), (Node: 1, Member: "member2") }.Select(side => Task.Run(async () =>
            {
                await gate.Task;
                var result = await nodes[side.Node].Services.GetRequiredService<TaskService>().ApproveAsync(task.Id, side.Member, "同意");
                return (Task: task.Id, side.Node, Result: result);
            }))).ToList();
            gate.SetResult();
            var outcomes = await Task.WhenAll(races).WaitAsync(TimeSpan.FromMinutes(3));

            var wins = outcomes.Where(o => o.Result.IsSuccess).ToList();
            TestContext.Out.WriteLine($"{count} instances; approvals won through node a: {wins.Count(w => w.Node == 0)}, node b: {wins.Count(w => w.Node == 1)}");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(wins.Select(w => w.Task), Is.EquivalentTo(tasks.Select(t => t.Id)), "each task approved exactly once");
                Assert.That(outcomes.Where(o => !o.Result.IsSuccess).Select(o => o.Result.Error!.Code), Is.All.AnyOf("task_not_open", "task_claimed_by_other", "not_task_holder"),
                    "the other approval is refused clearly");
            }

            foreach (var instance in instances)
            {
                var journal = await JournalAsync(instance);
                using (Assert.EnterMultipleScope())
                {
                    Assert.That((await Queries.GetInstanceAsync(instance))!.Status, Is.EqualTo(WorkflowStatus.Finished));
                    Assert.That(journal.Count(j => j.ActivityId == "wait" && j.EventName == JournalEvents.ActivityResumed), Is.EqualTo(1), "the timer fired once");
                    Assert.That(journal.Count(j => j.ActivityId == "review" && j.EventName == JournalEvents.ActivityCompleted), Is.EqualTo(1), "the task completed once");
                    Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
                }
            }
        }
        finally
        {
            await Task.WhenAll(a.StopAsync(), b.StopAsync());
        }
    }

    /// <summary>Polls until every instance's timer has fired and its review task is open; fails after two minutes.</summary>
    private async Task<List<TaskView>> WaitForReviewTasksAsync(IReadOnlyList<Guid> instances)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var tasks = new List<TaskView>();
            foreach (var instance in instances)
                tasks.AddRange((await Inbox.TasksOfInstanceAsync(instance)).Where(t => t.Status == TaskStatuses.Open));
            if (tasks.Count == instances.Count) return tasks;
            if (watch.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail($"after two minutes only {tasks.Count} of {instances.Count} timers had fired");
            await Task.Delay(250);
        }
    }
}
