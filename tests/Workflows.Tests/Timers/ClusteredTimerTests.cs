using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using static PdsWorkflow.Workflows.Tests.Timers.TimerScenarios;

namespace PdsWorkflow.Workflows.Tests.Timers;

/// <summary>Two Host nodes, each with its own Quartz scheduler, sharing the timers through one clustered job store.</summary>
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ClusteredTimerTests(DatabaseProvider provider) : TimerFixture(provider)
{
    private const int Instances = 20;

    [Test]
    public async Task Two_clustered_nodes_fire_each_timer_exactly_once()
    {
        var started = new List<RunResult>();
        await using (var seed = TimerHost.Create(Database, SweepOnlyAtStart))
        {
            // Never started: its runtime stores the triggers, no scheduler of its fires them.
            await seed.MigrateAsync();
            var definition = await seed.PublishDelayAsync("00:00:02");
            for (var i = 0; i < Instances; i++) started.Add(await seed.StartInstanceAsync(definition));
        }

        await using var a = TimerHost.Create(Database, SweepOnlyAtStart);
        await using var b = TimerHost.Create(Database, SweepOnlyAtStart);
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        foreach (var run in started) await WaitUntilFinishedAsync(a.Queries, run.InstanceId);

        var bookmarks = started.Select(run => run.Bookmarks.Single().Id).ToList();
        var firings = bookmarks.Select(id => a.Logs.ResumeJobEntries(id).Concat(b.Logs.ResumeJobEntries(id)).Select(e => e.Message).ToList()).ToList();
        var resumes = new List<int>();
        foreach (var run in started) resumes.Add(await DelayResumesAsync(a.Queries, run.InstanceId));
        TestContext.Out.WriteLine($"node a fired {bookmarks.Sum(id => a.Logs.ResumeJobEntries(id).Count)}, node b fired {bookmarks.Sum(id => b.Logs.ResumeJobEntries(id).Count)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(resumes, Is.All.EqualTo(1), "one ActivityResumed per instance");
            Assert.That(firings, Is.All.Count.EqualTo(1), "one firing per timer across both nodes, never a second one answered by a conflict");
            Assert.That(firings.SelectMany(f => f), Is.All.StartWith("Resumed due bookmark"));
        }
    }
}
