using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Audit;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class MigrationTests(DatabaseProvider provider) : AuditTestBase(provider)
{
    /// <summary>v2: the review step is renamed "check", a registration step follows approval, and a variable without default is declared.</summary>
    private static WorkflowDefinition Version2(string id) => new DefinitionBuilder(id).Variable("verdict").Variable("channel")
        .Add("start", "Start")
        .UserTask("check", Users("gaj.approver1"), sla: new JsonObject { ["workingDays"] = 5 })
        .Add("register", "SetVariable", ("variable", DefinitionBuilder.Literal("verdict")), ("value", DefinitionBuilder.Js("'v2:' + outputs.check.decision + ':' + variables.channel")))
        .Add("wait", "WaitForEvent", DefinitionBuilder.Event("filed"))
        .Add("yes", "End", ("result", DefinitionBuilder.Js("variables.verdict")))
        .Add("no", "End", ("result", DefinitionBuilder.Literal("refused")))
        .Chain("start", "check").Connect("check:Approve", "register").Connect("register", "yes").Connect("check:Reject", "no")
        .Connect("start", "wait").Connect("wait", "yes")
        .Build();

    /// <summary>Two instances waiting at the review on v1, then v2 published.</summary>
    private async Task<(string Id, RunResult Run, TaskView Task, RunResult Other)> WaitingOnV1Async()
    {
        var id = UniqueId("migrate");
        await PublishAsync(Review(id));
        var run = await StartAsAsync(id, "rsj.applicant");
        var other = await StartAsAsync(id, "rsj.applicant");
        await PublishAsync(Version2(id));
        return (id, run, await OpenTaskAsync(run.InstanceId, "review"), other);
    }

    [Test]
    public async Task Dry_run_refuses_impossible_mappings_and_changes_nothing()
    {
        var (id, run, _, _) = await WaitingOnV1Async();
        MigrationPlan Plan(params (string From, string To)[] mapping) => new(id, 2, [run.InstanceId])
        {
            Mapping = mapping.ToDictionary(m => m.From, m => m.To),
            Variables = new JsonObject { ["channel"] = "web" },
        };

        var unmapped = Ok(await Migrator.DryRunAsync(Plan())).Instances.Single();
        var missing = Ok(await Migrator.DryRunAsync(Plan(("review", "ghost")))).Instances.Single();
        var notHuman = Ok(await Migrator.DryRunAsync(Plan(("review", "register")))).Instances.Single();
        var noVariable = Ok(await Migrator.DryRunAsync(Plan(("review", "check")) with { Variables = null })).Instances.Single();
        var fine = Ok(await Migrator.DryRunAsync(Plan(("review", "check")))).Instances.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unmapped.Problems.Select(p => p.Code), Is.EqualTo(new[] { "step_unmapped" }));
            Assert.That(missing.Problems.Select(p => p.Code), Is.EqualTo(new[] { "target_step_missing" }));
            Assert.That(notHuman.Problems.Select(p => p.Code), Is.EqualTo(new[] { "type_mismatch" }));
            Assert.That(notHuman.Problems[0].Message, Does.Contain("只能映射到人工审批环节"));
            Assert.That(noVariable.Problems.Select(p => p.Code), Is.EqualTo(new[] { "variable_missing" }));
            Assert.That(new[] { unmapped, missing, notHuman, noVariable }.All(r => !r.CanMigrate && !r.Migrated), Is.True);
            Assert.That(fine.CanMigrate, Is.True, fine.Summary);
            Assert.That(fine.Migrated, Is.False);
            var step = fine.Steps.Single();
            Assert.That((step.From, step.To, step.Type, step.Implicit, step.OpenTasks), Is.EqualTo(("review", "check", "UserTask", false, 1)));
            Assert.That(step.Waits, Is.EquivalentTo(new[] { "UserTask", "UserTask.Reminder", "UserTask.Breach" }));
            Assert.That(fine.Summary, Does.Contain("不重新开始"));
            Assert.That((await Queries.GetInstanceAsync(run.InstanceId))!.DefinitionVersion, Is.EqualTo(1), "a dry run changes nothing");
            Assert.That((await JournalAsync(run.InstanceId)).Any(j => j.EventName == JournalEvents.InstanceMigrated), Is.False);
        }
    }

    [Test]
    public async Task Run_moves_the_waiting_step_with_its_task_and_deadline_and_the_instance_continues_on_v2()
    {
        var (id, run, task, untouched) = await WaitingOnV1Async();
        var plan = new MigrationPlan(id, 2, [run.InstanceId])
        {
            Mapping = new Dictionary<string, string> { ["review"] = "check" },
            Variables = new JsonObject { ["channel"] = "web" },
        };

        var report = Ok(await Migrator.RunAsync(plan, "bureau.workflow"));

        var moved = (await Inbox.GetAsync(task.Id))!;
        var journal = await JournalAsync(run.InstanceId);
        var bookmarks = await Queries.GetOpenBookmarksAsync(run.InstanceId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Instances.Single().Migrated, Is.True, report.Instances.Single().Summary);
            Assert.That((await Queries.GetInstanceAsync(run.InstanceId))!.DefinitionVersion, Is.EqualTo(2));
            Assert.That((moved.ActivityId, moved.Status, moved.DueAt), Is.EqualTo(("check", TaskStatuses.Open, task.DueAt)), "the task moves and keeps its deadline");
            Assert.That(bookmarks.Select(b => b.ActivityId).Distinct(), Is.EqualTo(new[] { "check" }));
            Assert.That(journal[^1].EventName, Is.EqualTo(JournalEvents.InstanceMigrated));
            Assert.That(journal[^1].Actor, Is.EqualTo("bureau.workflow"));
            Assert.That(journal[^1].Message, Does.Contain("migrated v1→v2"));
            Assert.That(journal[^1].Inputs!["mapping"]!["review"]!.GetValue<string>(), Is.EqualTo("check"));
            Assert.That((await Queries.GetInstanceAsync(untouched.InstanceId))!.DefinitionVersion, Is.EqualTo(1), "instances not picked stay pinned");
        }

        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", "同意"));
        var finished = (await Queries.GetInstanceAsync(run.InstanceId))!;
        Assert.That(finished.Status, Is.EqualTo(WorkflowStatus.Finished));
        Assert.That(finished.Result!.GetValue<string>(), Is.EqualTo("v2:Approve:web"), "it continued on v2 from where it was, without a restart");
        Assert.That((await JournalAsync(run.InstanceId)).Count(j => j.EventName == JournalEvents.ActivityStarted && j.ActivityId == "start"), Is.EqualTo(1));

        var verification = await Auditor.VerifyAsync(run.InstanceId);
        Assert.That(verification!.IsIntactAndReproducible, Is.True, verification.Verdict);
    }

    [Test]
    public async Task An_instance_already_on_the_target_or_finished_is_refused()
    {
        var (id, run, task, _) = await WaitingOnV1Async();
        var onV2 = await StartAsAsync(id, "rsj.applicant");
        Ok(await Tasks.RejectAsync(task.Id, "gaj.approver1", "材料不全"));

        var report = Ok(await Migrator.RunAsync(new MigrationPlan(id, 2, [run.InstanceId, onV2.InstanceId, Guid.NewGuid()]), "bureau.workflow"));

        Assert.That(report.Instances.Select(i => i.Problems[0].Code), Is.EqualTo(new[] { "instance_not_waiting", "target_not_newer", "instance_not_found" }));
        Assert.That(report.Refused, Is.EqualTo(3));
    }

    [Test]
    public async Task A_draft_cannot_be_a_migration_target()
    {
        var (id, run, _, _) = await WaitingOnV1Async();
        Ok(await Definitions.SaveDraftAsync(Version2(id), "admin"));

        var refused = await Migrator.DryRunAsync(new MigrationPlan(id, 3, [run.InstanceId]));

        Assert.That(refused.Error?.Code, Is.EqualTo("migration_target_not_published"));
    }

    [Test]
    public async Task Diff_names_added_removed_and_changed_nodes_inputs_and_connections()
    {
        var (id, _, _, _) = await WaitingOnV1Async();

        var diff = Ok(await Definitions.DiffAsync(id, 1, 2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.NodesAdded.Select(n => n.Id), Is.EquivalentTo(new[] { "check", "register", "wait" }));
            Assert.That(diff.NodesRemoved.Select(n => n.Id), Is.EquivalentTo(new[] { "review", "keep" }));
            Assert.That(diff.NodesChanged.Single().Id, Is.EqualTo("no"));
            Assert.That(diff.NodesChanged.Single().Inputs.Select(i => (i.Name, i.Change)), Is.EqualTo(new[] { ("result", DiffChanges.Changed) }));
            Assert.That(diff.NodesChanged.Single().Moved, Is.False);
            Assert.That(diff.ConnectionsAdded, Does.Contain(new ConnectionRef("check", "Approve", "register")));
            Assert.That(diff.ConnectionsRemoved, Does.Contain(new ConnectionRef("review", "Approve", "keep")));
            Assert.That(diff.Variables.Select(v => (v.Name, v.Change)), Is.EqualTo(new[] { ("channel", DiffChanges.Added) }));
            Assert.That(Ok(await Definitions.DiffAsync(id, 1, 1)).IsEmpty, Is.True);
            Assert.That((await Definitions.DiffAsync(id, 1, 9)).Error?.Code, Is.EqualTo("definition_version_not_found"));
        }
    }
}
