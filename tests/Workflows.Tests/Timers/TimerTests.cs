using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using static PdsWorkflow.Workflows.Tests.Timers.TimerScenarios;

namespace PdsWorkflow.Workflows.Tests.Timers;

/// <summary>Delays resumed by Quartz triggers in the persistent job store on the product's database, on real time.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class TimerTests(DatabaseProvider provider) : TimerFixture(provider)
{
    [Test]
    public async Task A_timer_stored_before_a_restart_fires_once_on_the_next_host()
    {
        RunResult started;
        LogCapture firstLogs;
        await using (var first = TimerHost.Create(Database, SweepOnlyAtStart))
        {
            firstLogs = first.Logs;
            await first.StartAsync();
            var definition = await first.PublishDelayAsync("00:00:02");
            started = await first.StartInstanceAsync(definition);
            // Handing the same bookmark over again keeps the trigger already stored.
            await first.Services.GetRequiredService<IBookmarkScheduler>().ScheduleAsync(started.Bookmarks, CancellationToken.None);
            Assert.That(await first.HasTimerAsync(started.Bookmarks.Single().Id), Is.True);
            await first.StopAsync();
        }

        var bookmark = started.Bookmarks.Single();
        await using var second = TimerHost.Create(Database, SweepOnlyAtStart);
        Assert.That((await second.Queries.GetInstanceAsync(started.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Suspended),
            "the first host stopped before the timer was due");

        await second.StartAsync();
        await WaitUntilFinishedAsync(second.Queries, started.InstanceId);
        await WaitUntilAsync(async () => !await second.HasTimerAsync(bookmark.Id), "the fired one-shot trigger is gone");

        var journal = await second.Queries.GetJournalAsync(started.InstanceId);
        var verification = await second.Verifier.VerifyAsync(started.InstanceId);
        var fired = second.Logs.ResumeJobEntries(bookmark.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await DelayResumesAsync(second.Queries, started.InstanceId), Is.EqualTo(1));
            Assert.That(journal.Single(j => j.EventName == JournalEvents.ActivityResumed).Actor, Is.EqualTo(WorkflowRuntime.TimerActor));
            Assert.That(verification!.IsIntact, Is.True, verification.Verdict);
            Assert.That(firstLogs.ResumeJobEntries(bookmark.Id), Is.Empty, "the first host never fired it");
            Assert.That(fired.Select(e => e.Message).ToList(), Has.Count.EqualTo(1).And.All.StartWith("Resumed due bookmark"), "the trigger, not the sweep, resumed it");
        }
    }

    [Test]
    public async Task A_delay_resumed_by_a_person_first_makes_its_timer_a_logged_no_op()
    {
        await using var host = TimerHost.Create(Database, SweepOnlyAtStart);
        await host.StartAsync();
        var definition = await host.PublishDelayAsync("00:00:02");
        var started = await host.StartInstanceAsync(definition);
        var bookmark = started.Bookmarks.Single();

        var resumed = await host.Runtime.ResumeAsync(bookmark.Id, null, "approver");
        Assert.That(resumed.Value.Status, Is.EqualTo(WorkflowStatus.Finished));
        var before = await host.Queries.GetJournalAsync(started.InstanceId);

        await WaitUntilAsync(() => Task.FromResult(host.Logs.ResumeJobEntries(bookmark.Id).Count > 0), "the timer has fired");

        var fired = host.Logs.ResumeJobEntries(bookmark.Id).Single();
        var after = await host.Queries.GetJournalAsync(started.InstanceId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((fired.Level, fired.Value("Code")), Is.EqualTo((LogLevel.Debug, (object)"bookmark_already_resumed")));
            Assert.That(after.Select(j => j.Hash), Is.EqualTo(before.Select(j => j.Hash)), "the journal is unchanged");
            Assert.That(after.Single(j => j.EventName == JournalEvents.ActivityResumed).Actor, Is.EqualTo("approver"));
            Assert.That((await host.Queries.GetInstanceAsync(started.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));
        }
    }

    [Test]
    public async Task The_sweep_resumes_a_due_bookmark_that_never_had_a_timer()
    {
        RunResult started;
        await using (var withoutQuartz = TimerHost.Create(Database, ("Timers:Enabled", "false")))
        {
            await withoutQuartz.MigrateAsync();
            Assert.That(withoutQuartz.Services.GetRequiredService<IBookmarkScheduler>(), Is.TypeOf<SweepOnlyBookmarkScheduler>());
            var definition = await withoutQuartz.PublishDelayAsync("00:00:01");
            started = await withoutQuartz.StartInstanceAsync(definition);
        }

        var bookmark = started.Bookmarks.Single();
        await using var host = TimerHost.Create(Database, ("Timers:SweepInterval", "00:00:01"), ("Timers:SweepGrace", "00:00:00"));
        await host.StartAsync();
        Assert.That(await host.HasTimerAsync(bookmark.Id), Is.False);
        await WaitUntilFinishedAsync(host.Queries, started.InstanceId);

        var journal = await host.Queries.GetJournalAsync(started.InstanceId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await DelayResumesAsync(host.Queries, started.InstanceId), Is.EqualTo(1));
            Assert.That(journal.Single(j => j.EventName == JournalEvents.ActivityResumed).Actor, Is.EqualTo(WorkflowRuntime.TimerActor));
            Assert.That(host.Logs.ResumeJobEntries(bookmark.Id), Is.Empty, "no trigger fired: the sweep resumed it");
            Assert.That(host.Logs.Entries.Where(e => e.Category == typeof(PdsWorkflow.Workflows.Timers.DueBookmarkSweepJob).FullName).Select(e => e.Message),
                Has.Some.Contains("resumed 1 bookmarks"));
        }
    }
}
