using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Runtime;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class FaultTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    [Test]
    public async Task Failing_activity_is_retried_by_its_policy_with_growing_back_off_until_it_succeeds()
    {
        var id = UniqueId("flaky");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").Add("call", "Test.Flaky", ("failures", Literal(2)))
            .Add("end", "End").Chain("start", "call", "end").Build());

        var started = await StartAsync(id);
        var retry = Bookmark(started, "call");
        Assert.That((started.Status, retry.Name), Is.EqualTo((WorkflowStatus.Suspended, BookmarkNames.Retry)));
        Assert.That(retry.DueAt, Is.EqualTo(Clock.GetUtcNow().AddSeconds(10)));

        Assert.That(await Runtime.TriggerDueBookmarksAsync(), Is.Zero, "not due yet");
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await Runtime.TriggerDueBookmarksAsync(), Is.EqualTo(1));
        var second = (await Queries.GetOpenBookmarksAsync(started.InstanceId)).Single();
        Assert.That(second.DueAt, Is.EqualTo(Clock.GetUtcNow().AddSeconds(20)), "back-off doubles");

        Clock.Advance(TimeSpan.FromSeconds(20));
        await Runtime.TriggerDueBookmarksAsync();

        var instance = await Queries.GetInstanceAsync(started.InstanceId);
        var incidents = await Queries.GetIncidentsAsync(started.InstanceId);
        var journal = await JournalAsync(started.InstanceId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(instance!.Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(incidents.Select(i => (i.Attempt, i.Status)), Is.EqualTo(new[] { (1, IncidentStatus.RetryScheduled), (2, IncidentStatus.RetryScheduled) }));
            Assert.That(incidents[0].Message, Does.Contain("上游暂不可用"));
            Assert.That(journal.Count(j => j.ActivityId == "call" && j.EventName == JournalEvents.ActivityFaulted), Is.EqualTo(2));
            Assert.That(journal.Count(j => j.ActivityId == "call" && j.EventName == JournalEvents.ActivityCompleted), Is.EqualTo(1));
            Assert.That(journal.Where(j => j.ActivityId == "call").Select(j => j.ActivityExecutionId).Distinct().Count(), Is.EqualTo(1),
                "retries are attempts of one execution");
        }
    }

    [Test]
    public async Task Exhausted_retries_fault_the_instance_and_say_why()
    {
        var id = UniqueId("flaky");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").Add("call", "Test.Flaky", ("failures", Literal(5)))
            .Add("end", "End").Chain("start", "call", "end").Build());
        var started = await StartAsync(id);
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            await Runtime.TriggerDueBookmarksAsync();
        }

        var instance = await Queries.GetInstanceAsync(started.InstanceId);
        var incidents = await Queries.GetIncidentsAsync(started.InstanceId);
        Assert.That(instance!.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(instance.FaultMessage, Does.Contain("call").And.Contain("第 3 次"));
        Assert.That(incidents.Select(i => i.Status), Is.EqualTo(new[] { IncidentStatus.RetryScheduled, IncidentStatus.RetryScheduled, IncidentStatus.Open }));
    }

    [Test]
    public async Task Operator_retry_of_an_incident_continues_the_instance_including_pending_parallel_work()
    {
        var id = UniqueId("broken");
        await PublishAsync(new DefinitionBuilder(id)
            .Add("start", "Start")
            .Add("fork", "Fork", ("branches", Literal(new JsonArray("a", "b"))))
            .Add("broken", "Test.Broken")
            .Add("wait", "WaitForEvent", Event("b"))
            .Add("join", "Join")
            .Add("end", "End")
            .Connect("start", "fork").Connect("fork:a", "broken").Connect("fork:b", "wait")
            .Connect("broken", "join").Connect("wait", "join").Connect("join", "end")
            .Build());

        var started = await StartAsync(id);
        Assert.That(started.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(started.FaultMessage, Does.Contain("前置库连接被拒绝"));
        var incident = (await Queries.GetIncidentsAsync(started.InstanceId)).Single();
        Assert.That(incident.Status, Is.EqualTo(IncidentStatus.Open));

        var stillBroken = await Runtime.RetryIncidentAsync(incident.Id, "ops");
        Assert.That(stillBroken.Value.Status, Is.EqualTo(WorkflowStatus.Faulted), "the retry ran and failed again");
        var second = (await Queries.GetIncidentsAsync(started.InstanceId)).Single(i => i.Status == IncidentStatus.Open);
        Assert.That(second.Attempt, Is.EqualTo(2));
        Assert.That((await Runtime.RetryIncidentAsync(incident.Id, "ops")).Error?.Code, Is.EqualTo("incident_not_open"));

        Broken.Repaired[started.InstanceId] = true;
        var repaired = await Runtime.RetryIncidentAsync(second.Id, "ops");
        Assert.That(repaired.Value.Status, Is.EqualTo(WorkflowStatus.Suspended), "the b branch that was pending when it faulted now waits");
        var finished = await ResumeAsync(repaired.Value.Bookmarks.Single(b => b.ActivityId == "wait").Id);
        Assert.That(finished.Status, Is.EqualTo(WorkflowStatus.Finished));
        var journal = await JournalAsync(started.InstanceId);
        Assert.That(journal.Count(j => j.EventName == JournalEvents.IncidentRetried && j.Actor == "ops"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_faulted_instance_refuses_resumes_until_its_incident_is_handled()
    {
        var id = UniqueId("faulted");
        await PublishAsync(new DefinitionBuilder(id)
            .Add("start", "Start")
            .Add("fork", "Fork", ("branches", Literal(new JsonArray("a", "b"))))
            .Add("wait", "WaitForEvent", Event("b"))
            .Add("boom", "Fault", ("message", Literal("资源目录未挂接")))
            .Connect("start", "fork").Connect("fork:a", "wait").Connect("fork:b", "boom")
            .Build());
        var started = await StartAsync(id);

        var refused = await Runtime.ResumeAsync(Bookmark(started, "wait").Id, null, "approver");

        Assert.That(started.FaultMessage, Does.Contain("资源目录未挂接"));
        Assert.That(refused.Error?.Code, Is.EqualTo("instance_not_running"));
    }

    [Test]
    public async Task Expression_error_becomes_an_incident_that_quotes_the_expression()
    {
        var id = UniqueId("expr");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .Add("decide", "Decision", ("condition", Js("variables.form.shareType === 2")))
            .Add("end", "End").Connect("start", "decide").Connect("decide:True", "end").Connect("decide:False", "end").Build());

        var started = await StartAsync(id);

        var incident = (await Queries.GetIncidentsAsync(started.InstanceId)).Single();
        Assert.That(started.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(incident.ActivityId, Is.EqualTo("decide"));
        Assert.That(incident.Message, Does.Contain("variables.form.shareType === 2").And.Contain("TypeError"));
    }

    [Test]
    public async Task Outbox_messages_commit_with_the_burst_and_a_failed_execution_leaves_none()
    {
        var ok = UniqueId("outbox");
        var failing = UniqueId("outbox");
        foreach (var (id, fail) in new[] { (ok, false), (failing, true) })
            await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").Add("notify", "Test.Notify", ("fail", Literal(fail)))
                .Add("end", "End").Chain("start", "notify", "end").Build());

        var sent = await StartAsync(ok);
        var failed = await StartAsync(failing);

        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var messages = await db.Outbox.Where(m => m.InstanceId == sent.InstanceId || m.InstanceId == failed.InstanceId).ToListAsync();
        Assert.That(messages.Select(m => (m.InstanceId, m.Type)), Is.EqualTo(new[] { ((Guid?)sent.InstanceId, "email") }));
        Assert.That(messages[0].PayloadJson, Does.Contain(sent.InstanceId.ToString()));
    }
}
