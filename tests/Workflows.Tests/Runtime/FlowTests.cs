using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Runtime;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class FlowTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    /// <summary>start → wait for the reviewer → decide on the reviewer's answer → approved or rejected end.</summary>
    private static DefinitionBuilder Approval(string id) => new DefinitionBuilder(id)
        .Variable("approved", false)
        .Add("start", "Start")
        .Add("review", "WaitForEvent", Event("review"))
        .Add("record", "SetVariable", ("variable", Literal("approved")), ("value", Js("outputs.review.payload.approved")))
        .Add("decide", "Decision", ("condition", Js("variables.approved === true")))
        .Add("approvedEnd", "End", ("result", Literal("approved")))
        .Add("rejectedEnd", "End", ("result", Literal("rejected")))
        .Chain("start", "review", "record", "decide")
        .Connect("decide:True", "approvedEnd")
        .Connect("decide:False", "rejectedEnd");

    [TestCase(true, "approved")]
    [TestCase(false, "rejected")]
    public async Task Start_suspends_on_bookmark_and_resume_takes_the_decided_branch(bool approved, string expected)
    {
        var id = UniqueId("approval");
        await PublishAsync(Approval(id).Build());

        var started = await StartAsync(id, correlationId: "case-1");
        Assert.That(started.Status, Is.EqualTo(WorkflowStatus.Suspended));
        var review = Bookmark(started, "review");
        Assert.That(review.Name, Is.EqualTo(BookmarkNames.Event("review")));

        var finished = await ResumeAsync(review.Id, new JsonObject { ["approved"] = approved });

        var instance = await Queries.GetInstanceAsync(finished.InstanceId);
        var journal = await JournalAsync(finished.InstanceId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finished.Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(finished.Bookmarks, Is.Empty);
            Assert.That(finished.Result?.GetValue<string>(), Is.EqualTo(expected));
            Assert.That(instance!.Variables["approved"]?.GetValue<bool>(), Is.EqualTo(approved));
            Assert.That(instance.CorrelationId, Is.EqualTo("case-1"));
            Assert.That(journal.Single(j => j.ActivityId == "decide" && j.EventName == JournalEvents.ActivityCompleted).Outcome,
                Is.EqualTo(approved ? "True" : "False"));
            Assert.That(journal.Single(j => j.EventName == JournalEvents.ActivityResumed).Actor, Is.EqualTo("approver"));
            Assert.That(journal.Select(j => j.Sequence), Is.EqualTo(Enumerable.Range(1, journal.Count).Select(i => (long)i)));
            Assert.That(journal[^1].EventName, Is.EqualTo(JournalEvents.WorkflowFinished));
        }
    }

    [Test]
    public async Task Decision_records_its_evaluated_input_in_the_journal()
    {
        var id = UniqueId("journal");
        await PublishAsync(Approval(id).Build());
        var started = await StartAsync(id);
        await ResumeAsync(Bookmark(started, "review").Id, new JsonObject { ["approved"] = true });

        var decide = (await JournalAsync(started.InstanceId)).Single(j => j.ActivityId == "decide" && j.EventName == JournalEvents.ActivityCompleted);
        Assert.That(decide.Inputs?["condition"]?.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task A_definition_written_in_es2023_validates_and_runs()
    {
        var id = UniqueId("es2023");
        await PublishAsync(new DefinitionBuilder(id)
            .Variable("summary", "")
            .Add("start", "Start")
            .Add("review", "WaitForEvent", Event("review"))
            .Add("record", "SetVariable", ("variable", Literal("summary")), ("value", Js(
                "const fields = outputs.review?.payload?.fields ?? [];\n" +
                "let label = fields.map((f, i) => `${i + 1}.${f}`).join('、');\n" +
                "`${workflow.correlationId}：${label || '无'}（${outputs.review?.payload?.missing?.reason ?? '齐全'}）`")))
            .Add("decide", "Decision", ("condition", Js("[...(outputs.review.payload.fields ?? [])].some(f => f === '身份证号')")))
            .Add("yes", "End", ("result", Literal("approved")))
            .Add("no", "End", ("result", Literal("rejected")))
            .Chain("start", "review", "record", "decide")
            .Connect("decide:True", "yes")
            .Connect("decide:False", "no")
            .Build());
        var started = await StartAsync(id, correlationId: "SUB-2026-007");

        var finished = await ResumeAsync(Bookmark(started, "review").Id, new JsonObject { ["fields"] = new JsonArray("姓名", "身份证号") });

        var instance = await Queries.GetInstanceAsync(finished.InstanceId);
        Assert.That(finished.Result?.GetValue<string>(), Is.EqualTo("approved"));
        Assert.That(instance!.Variables["summary"]?.GetValue<string>(), Is.EqualTo("SUB-2026-007：1.姓名、2.身份证号（齐全）"));
    }

    private static DefinitionBuilder ForkJoin(string id, string mode) => new DefinitionBuilder(id)
        .Add("start", "Start")
        .Add("fork", "Fork", ("branches", Literal(new JsonArray("legal", "tech"))))
        .Add("legal", "WaitForEvent", Event("legal"))
        .Add("tech", "WaitForEvent", Event("tech"))
        .Add("join", "Join", ("mode", Literal(mode)))
        .Add("end", "End")
        .Connect("start", "fork")
        .Connect("fork:legal", "legal")
        .Connect("fork:tech", "tech")
        .Connect("legal", "join")
        .Connect("tech", "join")
        .Connect("join", "end");

    [Test]
    public async Task Join_wait_all_fires_only_after_every_branch_arrived()
    {
        var id = UniqueId("forkall");
        await PublishAsync(ForkJoin(id, "WaitAll").Build());
        var started = await StartAsync(id);
        Assert.That(started.Bookmarks.Select(b => b.ActivityId), Is.EquivalentTo(new[] { "legal", "tech" }));

        var afterLegal = await ResumeAsync(Bookmark(started, "legal").Id);
        Assert.That(afterLegal.Status, Is.EqualTo(WorkflowStatus.Suspended));
        Assert.That(afterLegal.Bookmarks.Select(b => b.ActivityId), Is.EqualTo(new[] { "tech" }));

        var afterTech = await ResumeAsync(Bookmark(started, "tech").Id);
        Assert.That(afterTech.Status, Is.EqualTo(WorkflowStatus.Finished));
        var journal = await JournalAsync(started.InstanceId);
        Assert.That(journal.Count(j => j.ActivityId == "join" && j.EventName == JournalEvents.ActivityCompleted), Is.EqualTo(1));
        Assert.That(journal.Count(j => j.ActivityId == "join" && j.EventName == JournalEvents.ActivityWaiting), Is.EqualTo(1));
    }

    [Test]
    public async Task Join_wait_any_fires_on_first_arrival_and_cancels_the_other_branch()
    {
        var id = UniqueId("forkany");
        await PublishAsync(ForkJoin(id, "WaitAny").Build());
        var started = await StartAsync(id);

        var finished = await ResumeAsync(Bookmark(started, "tech").Id);

        Assert.That(finished.Status, Is.EqualTo(WorkflowStatus.Finished));
        var journal = await JournalAsync(started.InstanceId);
        Assert.That(journal.Single(j => j.EventName == JournalEvents.ActivityCancelled).ActivityId, Is.EqualTo("legal"));
        var late = await Runtime.ResumeAsync(Bookmark(started, "legal").Id, null, "approver");
        Assert.That(late.Error?.Code, Is.EqualTo("bookmark_already_cancelled"));
    }

    [Test]
    public async Task Join_wait_all_does_not_wait_for_a_branch_a_decision_routed_elsewhere()
    {
        var id = UniqueId("forkskip");
        await PublishAsync(new DefinitionBuilder(id)
            .Variable("skipped", false)
            .Add("start", "Start")
            .Add("fork", "Fork", ("branches", Literal(new JsonArray("a", "b"))))
            .Add("wait", "WaitForEvent", Event("a"))
            .Add("needed", "Decision", ("condition", Js("false")))
            .Add("mark", "SetVariable", ("variable", Literal("skipped")), ("value", Literal(true)))
            .Add("join", "Join")
            .Add("end", "End")
            .Connect("start", "fork")
            .Connect("fork:a", "wait")
            .Connect("fork:b", "needed")
            .Connect("wait", "join")
            .Connect("needed:True", "join")
            .Connect("needed:False", "mark")
            .Connect("join", "end")
            .Build());

        var started = await StartAsync(id);
        Assert.That(started.Status, Is.EqualTo(WorkflowStatus.Suspended));
        var finished = await ResumeAsync(Bookmark(started, "wait").Id);
        Assert.That(finished.Status, Is.EqualTo(WorkflowStatus.Finished));
    }

    [Test]
    public async Task Switch_takes_the_first_matching_case_or_default()
    {
        var id = UniqueId("switch");
        await PublishAsync(new DefinitionBuilder(id)
            .Add("start", "Start")
            .Add("route", "Switch", ("cases", Literal(new JsonArray(
                new JsonObject { ["label"] = "unconditional", ["condition"] = "input.shareType === 1" },
                new JsonObject { ["label"] = "conditional", ["condition"] = "input.shareType === 2" }))))
            .Add("u", "End", ("result", Literal("u")))
            .Add("c", "End", ("result", Literal("c")))
            .Add("d", "End", ("result", Literal("refused")))
            .Connect("start", "route")
            .Connect("route:unconditional", "u")
            .Connect("route:conditional", "c")
            .Connect("route:Default", "d")
            .Build());

        var results = new List<string?>();
        foreach (var shareType in new[] { 1, 2, 3 })
            results.Add((await StartAsync(id, new JsonObject { ["shareType"] = shareType })).Result?.GetValue<string>());
        Assert.That(results, Is.EqualTo(new[] { "u", "c", "refused" }));
    }

    [Test]
    public async Task Wait_for_event_is_resumed_by_publishing_the_event_with_its_correlation_key()
    {
        var id = UniqueId("event");
        await PublishAsync(new DefinitionBuilder(id)
            .Add("start", "Start")
            .Add("wait", "WaitForEvent", Event("ProvincialDecision"), ("correlationKey", Js("workflow.correlationId")))
            .Add("end", "End", ("result", Js("outputs.wait.payload.decision")))
            .Chain("start", "wait", "end")
            .Build());
        var mine = await StartAsync(id, correlationId: "PROV-" + id);
        var other = await StartAsync(id, correlationId: "PROV-other-" + id);

        var resumed = await Runtime.PublishEventAsync("ProvincialDecision", "PROV-" + id, new JsonObject { ["decision"] = "同意" }, "province");

        Assert.That(resumed, Has.Count.EqualTo(1));
        Assert.That(resumed[0].Value.InstanceId, Is.EqualTo(mine.InstanceId));
        Assert.That(resumed[0].Value.Result?.GetValue<string>(), Is.EqualTo("同意"));
        Assert.That((await Queries.GetInstanceAsync(other.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Suspended));
    }

    [Test]
    public async Task Sub_workflow_runs_as_child_and_hands_its_result_to_the_waiting_parent()
    {
        var childId = UniqueId("child");
        var parentId = UniqueId("parent");
        await PublishAsync(new DefinitionBuilder(childId)
            .Add("start", "Start")
            .Add("wait", "WaitForEvent", Event("county-review"))
            .Add("end", "End", ("result", Js("'county:' + input.county")))
            .Chain("start", "wait", "end")
            .Build());
        await PublishAsync(new DefinitionBuilder(parentId)
            .Add("start", "Start")
            .Add("county", "RunWorkflow", ("workflowDefinitionId", Literal(childId)), ("input", Js("({ county: input.county })")))
            .Add("end", "End", ("result", Js("outputs.county.result")))
            .Chain("start", "county", "end")
            .Build());

        var parent = await StartAsync(parentId, new JsonObject { ["county"] = "叶县" });
        Assert.That(parent.Status, Is.EqualTo(WorkflowStatus.Suspended));
        var child = (await Queries.GetChildInstanceIdsAsync(parent.InstanceId)).Single();
        var childBookmark = (await Queries.GetOpenBookmarksAsync(child)).Single();

        await ResumeAsync(childBookmark.Id);

        var parentAfter = await Queries.GetInstanceAsync(parent.InstanceId);
        Assert.That(parentAfter!.Status, Is.EqualTo(WorkflowStatus.Finished));
        Assert.That(parentAfter.Result?.GetValue<string>(), Is.EqualTo("county:叶县"));
        Assert.That((await Queries.GetInstanceAsync(child))!.ParentInstanceId, Is.EqualTo(parent.InstanceId));
    }

    [Test]
    public async Task Cancelling_a_parent_cancels_its_running_child()
    {
        var childId = UniqueId("child");
        var parentId = UniqueId("parent");
        await PublishAsync(new DefinitionBuilder(childId).Add("start", "Start").Add("wait", "WaitForEvent", Event("x")).Chain("start", "wait").Build());
        await PublishAsync(new DefinitionBuilder(parentId).Add("start", "Start")
            .Add("sub", "RunWorkflow", ("workflowDefinitionId", Literal(childId))).Chain("start", "sub").Build());
        var parent = await StartAsync(parentId);
        var child = (await Queries.GetChildInstanceIdsAsync(parent.InstanceId)).Single();

        var cancelled = await Runtime.CancelAsync(parent.InstanceId, "admin", "申请人撤回");

        Assert.That(cancelled.Value.Status, Is.EqualTo(WorkflowStatus.Cancelled));
        Assert.That((await Queries.GetInstanceAsync(child))!.Status, Is.EqualTo(WorkflowStatus.Cancelled));
        Assert.That(await Queries.GetOpenBookmarksAsync(child), Is.Empty);
        var again = await Runtime.CancelAsync(parent.InstanceId, "admin", null);
        Assert.That(again.Error?.Kind, Is.EqualTo(WorkflowErrorKind.Conflict));
    }

    [Test]
    public async Task Delay_waits_until_its_due_time_then_continues()
    {
        var id = UniqueId("delay");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").Add("wait", "Delay", ("duration", Literal("01:00:00")))
            .Add("end", "End").Chain("start", "wait", "end").Build());
        var started = await StartAsync(id);
        Assert.That(Bookmark(started, "wait").DueAt, Is.EqualTo(Clock.GetUtcNow().AddHours(1)));

        Clock.Advance(TimeSpan.FromMinutes(59));
        await Runtime.TriggerDueBookmarksAsync();
        Assert.That((await Queries.GetInstanceAsync(started.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Suspended));

        Clock.Advance(TimeSpan.FromMinutes(1));
        await Runtime.TriggerDueBookmarksAsync();
        Assert.That((await Queries.GetInstanceAsync(started.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));
    }

    [Test]
    public async Task Variables_are_initialised_from_defaults_and_overridden_by_input()
    {
        var id = UniqueId("vars");
        await PublishAsync(new DefinitionBuilder(id).Variable("days", 5).Variable("unit", "市公安局")
            .Add("start", "Start").Add("end", "End", ("result", Js("variables.unit + ':' + variables.days"))).Chain("start", "end").Build());

        var run = await StartAsync(id, new JsonObject { ["days"] = 3 });

        Assert.That(run.Result?.GetValue<string>(), Is.EqualTo("市公安局:3"));
    }
}
