using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Audit;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ReplayTests(DatabaseProvider provider) : AuditTestBase(provider)
{
    private const string Table = "\"wf_journal\"";

    private async Task<Guid> ApprovedCaseAsync()
    {
        var id = UniqueId("replay");
        await PublishAsync(Review(id));
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["resource"] = "人口基本信息" });
        Clock.Advance(TimeSpan.FromHours(30));
        var task = await OpenTaskAsync(run.InstanceId, "review");
        Ok(await Tasks.ClaimAsync(task.Id, "gaj.approver1"));
        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", "同意共享"));
        Assert.That(await InstanceStatusAsync(run.InstanceId), Is.EqualTo(WorkflowStatus.Finished));
        return run.InstanceId;
    }

    [Test]
    public async Task A_finished_case_is_intact_and_reproducible()
    {
        var instance = await ApprovedCaseAsync();

        var verification = await Auditor.VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification!.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(verification.Verdict, Does.StartWith("完整且可复现"));
            Assert.That(verification.Replay.EntriesReproduced, Is.EqualTo((await JournalAsync(instance)).Count));
            Assert.That(verification.Replay.SubstitutedTypes, Is.Empty);
            Assert.That(verification.Replay.AdoptedEntries, Is.Not.Empty, "the claim is a task command, taken as recorded");
        }
    }

    [Test]
    public async Task A_case_cancelled_while_a_step_waits_is_reproducible()
    {
        var id = UniqueId("replay");
        await PublishAsync(Review(id));
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["resource"] = "人口基本信息" });
        Ok(await Runtime.CancelAsync(run.InstanceId, "admin1", "申请人撤回"));

        var verification = await Auditor.VerifyAsync(run.InstanceId);

        Assert.That(verification!.IsIntactAndReproducible, Is.True, verification.Verdict);
        Assert.That(verification.Replay.EntriesReproduced, Is.EqualTo((await JournalAsync(run.InstanceId)).Count));
    }

    [Test]
    public async Task Replay_leaves_nothing_behind()
    {
        var instance = await ApprovedCaseAsync();
        await using var before = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var counts = (await before.Instances.CountAsync(), await before.Journal.CountAsync(), await before.Tasks.CountAsync(), await before.Outbox.CountAsync());

        await Auditor.VerifyAsync(instance);

        await using var after = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        Assert.That((await after.Instances.CountAsync(), await after.Journal.CountAsync(), await after.Tasks.CountAsync(), await after.Outbox.CountAsync()),
            Is.EqualTo(counts));
    }

    [Test]
    public async Task A_journal_row_altered_in_the_database_fails_verification_and_is_named()
    {
        var instance = await ApprovedCaseAsync();
        var completed = (await JournalAsync(instance)).Single(j => j.ActivityId == "review" && j.EventName == JournalEvents.ActivityCompleted);
        await ExecuteSqlAsync($"UPDATE {Table} SET \"Outcome\" = 'Reject' WHERE \"InstanceId\" = {{0}} AND \"Sequence\" = {{1}}", instance, completed.Sequence);

        var verification = await Auditor.VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification!.IsIntactAndReproducible, Is.False);
            Assert.That(verification.HashChain.Violations.Select(v => v.Sequence), Does.Contain(completed.Sequence));
            Assert.That(verification.Replay.FirstDifference!.Sequence, Is.EqualTo(completed.Sequence));
            Assert.That(verification.Replay.FirstDifference.Field, Is.EqualTo("outcome"));
            Assert.That(verification.Verdict, Does.Contain($"第 {completed.Sequence} 条"));
            Assert.That(verification.Verdict, Does.Not.StartWith("完整且可复现"));
        }
    }

    [Test]
    public async Task A_forged_chain_with_every_hash_recomputed_is_caught_by_the_signed_checkpoint_and_by_the_replay()
    {
        var instance = await ApprovedCaseAsync();
        // Someone with write access rewrites the approver's decision and recomputes every hash and the head.
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var entries = await db.Journal.Where(j => j.InstanceId == instance).OrderBy(j => j.Sequence).ToListAsync();
            var resumed = entries.Single(j => j.EventName == JournalEvents.ActivityResumed && j.ActivityId == "review");
            resumed.InputsJson = resumed.InputsJson!.Replace("同意共享", "同意共享（已核对）", StringComparison.Ordinal);
            var previous = "";
            foreach (var entry in entries)
            {
                entry.PreviousHash = previous;
                entry.Hash = JournalHasher.Compute(entry);
                previous = entry.Hash;
            }

            (await db.Instances.SingleAsync(i => i.Id == instance)).JournalHeadHash = previous;
            await db.SaveChangesAsync();
        }

        var verification = await Auditor.VerifyAsync(instance);
        var journal = await JournalAsync(instance);
        var completed = journal.Single(j => j.ActivityId == "review" && j.EventName == JournalEvents.ActivityCompleted);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification!.HashChain.IsIntact, Is.True, "a consistent forgery passes the hashes alone");
            Assert.That(verification.Integrity.Signatures.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { ((long?)journal.Count, "Rewritten") }),
                "the head signed when the case ended no longer matches");
            Assert.That(verification.IsIntact, Is.False);
            Assert.That(verification.IsReproducible, Is.False);
            Assert.That(verification.Replay.FirstDifference!.Sequence, Is.EqualTo(completed.Sequence));
            Assert.That(verification.Replay.FirstDifference.Field, Is.EqualTo("outputs"));
            Assert.That(verification.Verdict, Does.StartWith("签名检查点：").And.Contain("签名之后记录被改写"));
        }
    }

    [Test]
    public async Task Activities_acting_on_other_systems_take_their_recorded_results_and_the_verdict_says_so()
    {
        var id = UniqueId("notify");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").Add("mail", "Test.Notify")
            .Add("wait", "WaitForEvent", DefinitionBuilder.Event("ack")).Add("end", "End").Chain("start", "mail", "wait", "end").Build());
        var run = await StartAsync(id);
        await ResumeAsync(Bookmark(run, "wait").Id, new JsonObject { ["ok"] = true });

        var verification = await Auditor.VerifyAsync(run.InstanceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification!.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(verification.Replay.SubstitutedTypes, Is.EqualTo(new[] { "Test.Notify" }));
            Assert.That(verification.Verdict, Does.Contain("未重新执行，采用记录的结果：Test.Notify"));
        }
    }

    [Test]
    public async Task A_decision_that_no_longer_follows_from_the_recorded_inputs_is_named()
    {
        var id = UniqueId("decide");
        await PublishAsync(new DefinitionBuilder(id).Variable("amount", 0)
            .Add("start", "Start").Add("wait", "WaitForEvent", DefinitionBuilder.Event("amount"))
            .Add("set", "SetVariable", ("variable", DefinitionBuilder.Literal("amount")), ("value", DefinitionBuilder.Js("outputs.wait.payload.amount")))
            .Add("decide", "Decision", ("condition", DefinitionBuilder.Js("variables.amount > 100")))
            .Add("big", "End").Add("small", "End")
            .Chain("start", "wait", "set", "decide").Connect("decide:True", "big").Connect("decide:False", "small").Build());
        var run = await StartAsync(id);
        await ResumeAsync(Bookmark(run, "wait").Id, new JsonObject { ["amount"] = 500 });
        var journal = await JournalAsync(run.InstanceId);
        var resumed = journal.Single(j => j.EventName == JournalEvents.ActivityResumed);
        await ExecuteSqlAsync($"UPDATE {Table} SET \"InputsJson\" = {{0}} WHERE \"InstanceId\" = {{1}} AND \"Sequence\" = {{2}}",
            "{\"amount\":5}", run.InstanceId, resumed.Sequence);

        var verification = await Auditor.VerifyAsync(run.InstanceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification!.HashChain.Violations.Single().Sequence, Is.EqualTo(resumed.Sequence));
            Assert.That(verification.IsReproducible, Is.False);
            Assert.That(verification.Replay.FirstDifference!.Sequence, Is.GreaterThan(resumed.Sequence), verification.Verdict);
        }
    }

    [Test]
    public async Task Snapshots_show_position_path_and_data_after_each_entry()
    {
        var instance = await ApprovedCaseAsync();
        var journal = await JournalAsync(instance);

        var snapshots = (await Snapshots.GetAsync(instance))!;

        var waiting = snapshots.Single(s => s.EventName == JournalEvents.ActivitySuspended && s.ActivityId == "review");
        var variables = snapshots.Single(s => s.EventName == JournalEvents.VariablesChanged);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(snapshots.Select(s => s.Sequence), Is.EqualTo(journal.Select(j => j.Sequence)));
            Assert.That(waiting.Position, Is.EqualTo(new[] { "review" }));
            Assert.That(waiting.Status, Is.EqualTo(WorkflowStatus.Suspended));
            Assert.That(waiting.Variables["verdict"], Is.Null);
            Assert.That(variables.Variables["verdict"]!.GetValue<string>(), Is.EqualTo("Approve/同意共享"));
            Assert.That(snapshots[^1].Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(snapshots[^1].Completed, Is.EqualTo(new[] { "start", "review", "keep", "yes" }));
            Assert.That(snapshots[^1].TakenConnections, Is.EqualTo(new[] { "start:Done→review", "review:Approve→keep", "keep:Done→yes" }));
            Assert.That(snapshots[^1].Outputs["review"]!["decision"]!.GetValue<string>(), Is.EqualTo("Approve"));
        }
    }
}
