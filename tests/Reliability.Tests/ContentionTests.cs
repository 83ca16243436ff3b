using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// Hundreds of concurrent commands on the same pool tasks through <see cref="TaskService"/>: every member of a five-person
/// committee claims and approves each task at once. Exactly one approval wins each task; every other command gets a
/// refusal (a conflict, or not-yours once another member holds the task), none an exception; nothing hangs; every
/// journal verifies and records one decision.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ContentionTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private const int TasksPerRound = 8;
    private static readonly string[] Members = Enumerable.Range(1, 5).Select(i => $"member{i}").ToArray();
    private static readonly string[] RefusalCodes = ["task_not_open", "task_claimed_by_other", "not_task_holder", "concurrent_update"];

    [OneTimeSetUp]
    public Task SeedOrganizationAsync() => TestOrganization.SeedAsync(Services);

    [Test]
    public async Task Claim_and_approve_races_have_one_winner_per_task_and_clear_refusals_for_the_rest()
    {
        var id = UniqueId("contention");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").UserTask("review", HumanSteps.Role(TestOrganization.Committee))
            .Add("end", "End").Add("rejected", "End").Connect("start", "review").Connect("review:Approve", "end").Connect("review:Reject", "rejected").Build());

        var rounds = Scale.Times(4);
        var actions = 0;
        for (var round = 0; round < rounds; round++)
        {
            var instances = new List<Guid>();
            for (var i = 0; i < TasksPerRound; i++) instances.Add((await StartAsync(id)).InstanceId);
            var tasks = new List<TaskView>();
            foreach (var instance in instances) tasks.Add((await Inbox.TasksOfInstanceAsync(instance)).Single());
            Assert.That(tasks.Select(t => t.AssigneeId), Is.All.Null, "pool tasks, claimable by all five");

            // Every member claims and approves every task, all at the same moment.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var races = tasks.SelectMany(task => Members.SelectMany(member => new[]
            {
                Race(gate.Task, task.Id, member, "claim", () => Tasks.ClaimAsync(task.Id, member)),
                Race(gate.Task, task.Id, member, "approve", () => Tasks.ApproveAsync(task.Id, member, $"{member} 同意")),
            })).ToList();
            gate.SetResult();
            var outcomes = await Task.WhenAll(races).WaitAsync(TimeSpan.FromMinutes(3));
            actions += outcomes.Length;

            foreach (var (task, instance) in tasks.Zip(instances))
            {
                var mine = outcomes.Where(o => o.TaskId == task.Id).ToList();
                var approvals = mine.Where(o => o.Kind == "approve" && o.Error is null).ToList();
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(approvals, Has.Count.EqualTo(1), $"round {round}: one approval wins task {task.Id}");
                    Assert.That(mine.Where(o => o.Kind == "claim" && o.Error is null).Select(o => o.Member).Distinct().Count(), Is.LessThanOrEqualTo(1),
                        "claims that succeed all name one holder");
                    Assert.That(mine.Where(o => o.Error is not null).Select(o => o.Error!.Code), Is.All.AnyOf(RefusalCodes), "every loser gets a clear refusal");
                    Assert.That(mine.Where(o => o.Error is not null).Select(o => o.Error!.Kind), Is.All.AnyOf(WorkflowErrorKind.Conflict, WorkflowErrorKind.Forbidden));
                }

                var winner = approvals.Single().Member;
                var stored = await Inbox.GetAsync(task.Id);
                Assert.That((stored!.Status, stored.CompletedBy), Is.EqualTo((TaskStatuses.Completed, winner)));
                Assert.That((await Queries.GetInstanceAsync(instance))!.Status, Is.EqualTo(WorkflowStatus.Finished));
                var journal = await JournalAsync(instance);
                Assert.That(journal.Count(j => j.ActivityId == "review" && j.EventName == JournalEvents.ActivityCompleted), Is.EqualTo(1), "the step completed once");
                Assert.That(journal.Count(j => j.EventName == JournalEvents.TaskAction && j.Outcome == TaskActions.Approve), Is.EqualTo(1), "one approval journaled");
                Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True, "the journal verifies");
            }
        }

        TestContext.Out.WriteLine($"{Provider}: {actions} concurrent commands over {rounds * TasksPerRound} tasks");
        Assert.That(actions, Is.EqualTo(rounds * TasksPerRound * Members.Length * 2));
    }

    private sealed record Outcome(Guid TaskId, string Member, string Kind, WorkflowError? Error);

    private static Task<Outcome> Race(Task gate, Guid taskId, string member, string kind, Func<Task<WorkflowResult<TaskView>>> action) => Task.Run(async () =>
    {
        await gate;
        var result = await action();
        return new Outcome(taskId, member, kind, result.IsSuccess ? null : result.Error);
    });
}
