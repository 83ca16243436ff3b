using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Runtime;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ConcurrencyTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private const int Rounds = 8;

    /// <summary>Starts both tasks at the same moment and waits for both.</summary>
    private static async Task<T[]> RaceAsync<T>(params Func<Task<T>>[] actions)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = actions.Select(a => Task.Run(async () =>
        {
            await gate.Task;
            return await a();
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    [Test]
    public async Task Two_concurrent_resumes_of_one_bookmark_one_wins_and_the_other_gets_a_conflict()
    {
        var id = UniqueId("race");
        await PublishAsync(new DefinitionBuilder(id).Variable("count", 0)
            .Add("start", "Start").Add("approve", "WaitForEvent", Event("approve"))
            .Add("count", "SetVariable", ("variable", Literal("count")), ("value", Js("variables.count + 1")))
            .Add("end", "End").Chain("start", "approve", "count", "end").Build());

        for (var round = 0; round < Rounds; round++)
        {
            var started = await StartAsync(id);
            var bookmark = Bookmark(started, "approve").Id;

            var results = await RaceAsync(
                () => Runtime.ResumeAsync(bookmark, new JsonObject { ["by"] = "张三" }, "张三"),
                () => Runtime.ResumeAsync(bookmark, new JsonObject { ["by"] = "李四" }, "李四"));

            Assert.That(results.Count(r => r.IsSuccess), Is.EqualTo(1), $"round {round}: {string.Join(" | ", results)}");
            var loser = results.Single(r => !r.IsSuccess).Error!;
            Assert.That((loser.Kind, loser.Code), Is.EqualTo((WorkflowErrorKind.Conflict, "bookmark_already_resumed")));
            var journal = await JournalAsync(started.InstanceId);
            Assert.That(journal.Count(j => j.EventName == JournalEvents.ActivityResumed), Is.EqualTo(1));
            Assert.That((await Queries.GetInstanceAsync(started.InstanceId))!.Variables["count"]?.GetValue<int>(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Concurrent_resumes_of_parallel_branches_are_serialised_and_both_succeed()
    {
        var id = UniqueId("parallel");
        await PublishAsync(new DefinitionBuilder(id)
            .Add("start", "Start")
            .Add("fork", "Fork", ("branches", Literal(new JsonArray("a", "b"))))
            .Add("a", "WaitForEvent", Event("a"))
            .Add("b", "WaitForEvent", Event("b"))
            .Add("join", "Join")
            .Add("end", "End")
            .Connect("start", "fork").Connect("fork:a", "a").Connect("fork:b", "b").Connect("a", "join").Connect("b", "join").Connect("join", "end")
            .Build());

        for (var round = 0; round < Rounds; round++)
        {
            var started = await StartAsync(id);
            var results = await RaceAsync(
                () => Runtime.ResumeAsync(Bookmark(started, "a").Id, null, "甲"),
                () => Runtime.ResumeAsync(Bookmark(started, "b").Id, null, "乙"));

            Assert.That(results.All(r => r.IsSuccess), Is.True, string.Join(" | ", results));
            Assert.That((await Queries.GetInstanceAsync(started.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));
            var journal = await JournalAsync(started.InstanceId);
            Assert.That(journal.Count(j => j.ActivityId == "join" && j.EventName == JournalEvents.ActivityCompleted), Is.EqualTo(1));
            Assert.That((await Verifier.VerifyAsync(started.InstanceId))!.IsIntact, Is.True);
        }
    }
}
