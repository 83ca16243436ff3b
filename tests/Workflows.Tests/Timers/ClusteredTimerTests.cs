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
            var definition = await seed.PublishDelayAsync("00:00:05");
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
            Assert.That(firings, Is.All.Count.LessThanOrEqualTo(1), "a trigger fires on one node only, never on both");
            // On a loaded machine the start-up sweep may resume a timer before its trigger fires (the trigger then meets
            // a conflict): that is still one resume. Most timers must have been fired by the clustered triggers.
            Assert.That(firings.Count(f => f.Count == 1 && f[0].StartsWith("Resumed due bookmark", StringComparison.Ordinal)),
                Is.GreaterThan(Instances / 2), "the triggers, not only the sweep, resumed the timers");
        }
    }
}
