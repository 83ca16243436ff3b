using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// How chains live: discarded drafts and withdrawals verify without false alarms, journals written before algorithms
/// were recorded keep verifying and continue, records written outside a case's own commands are attested too,
/// checkpoints come every N entries, at a case's end and from the sweep, and a rewritten tail is never signed.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ChainLifecycleTests(DatabaseProvider provider) : IntegrityTestBase(provider)
{
    [Test]
    public async Task A_discarded_draft_verifies_as_complete_and_reproducible()
    {
        var instance = await CaseAsync(finish: false);
        // The draft's own step: a second case, discarded before it was submitted (DELETE /api/applications/{id}).
        var id = (await RowsAsync(db => db.Instances.Where(i => i.Id == instance).Select(i => i.DefinitionId))).Single();
        var draft = await StartAsAsync(id, Applicant);
        var step = await OpenTaskAsync(draft.InstanceId, "report");
        Ok(await Tasks.SaveFormAsync(step.Id, Applicant, new JsonObject { ["problemOther"] = "字段含义不清" }));
        Ok(await Attachments.AttachAsync(step.Id, Applicant, "草稿附件.pdf", new MemoryStream("%PDF-1.4"u8.ToArray())));
        Ok(await Runtime.CancelAsync(draft.InstanceId, Applicant, "申请人删除草稿"));
        await AnchorAsync();

        var verification = await VerifyAsync(draft.InstanceId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(verification.Verdict, Does.StartWith("完整且可复现"));
            Assert.That(verification.Replay.EntriesReproduced, Is.EqualTo((await JournalAsync(draft.InstanceId)).Count));
            Assert.That(verification.Integrity.Signatures.SignedThrough, Is.EqualTo((await JournalAsync(draft.InstanceId)).Count), "a cancelled case is signed at its end");
        }
    }

    [Test]
    public async Task A_withdrawal_that_cancels_the_case_verifies_as_complete_and_reproducible()
    {
        var id = UniqueId("withdraw");
        await PublishAsync(Review(id));
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["resource"] = "人口基本信息" });
        Ok(await Tasks.WithdrawAsync(run.InstanceId, "rsj.applicant", "材料有误，撤回重报"));
        Assert.That(await InstanceStatusAsync(run.InstanceId), Is.EqualTo(WorkflowStatus.Cancelled));

        var verification = await VerifyAsync(run.InstanceId);

        Assert.That(verification.IsIntactAndReproducible, Is.True, verification.Verdict);
    }

    /// <summary>A journal as written before this check existed: SHA-256 in the original format, no record digests, no checkpoints.</summary>
    private async Task MakeLegacyAsync(Guid instance)
    {
        await using var db = await IntruderAsync();
        var stream = StreamKeys.Instance(instance);
        await db.Checkpoints.Where(c => c.Stream == stream).ExecuteDeleteAsync();
        var entries = await db.Journal.Where(j => j.InstanceId == instance).OrderBy(j => j.Sequence).ToListAsync();
        var previous = "";
        foreach (var entry in entries)
        {
            (entry.Algorithm, entry.Records, entry.PreviousHash) = (null, null, previous);
            entry.Hash = Journal.JournalHasher.Compute(entry);
            previous = entry.Hash;
        }

        var row = await db.Instances.SingleAsync(i => i.Id == instance);
        (row.JournalAlgorithm, row.JournalHeadHash, row.CheckpointSequence, row.CheckpointAt) = (null, previous, 0, null);
        await db.SaveChangesAsync();
        var anchored = Path.Combine(IntegritySettings.AnchorPath, "checkpoints", stream);
        if (Directory.Exists(anchored)) Directory.Delete(anchored, recursive: true);
    }

    [Test]
    public async Task A_journal_written_before_algorithms_were_recorded_still_verifies_and_continues_in_sha256()
    {
        var instance = await CaseAsync(finish: false);
        await MakeLegacyAsync(instance);
        var legacy = await VerifyAsync(instance);
        var written = (await JournalAsync(instance)).Count;

        Clock.Advance(TimeSpan.FromDays(1));
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "reply")).Id, Approver, "已更正", FormExamples.ObjectionReply()));
        await AnchorAsync();
        var continued = await VerifyAsync(instance);
        var entries = await RowsAsync(db => db.Journal.Where(j => j.InstanceId == instance).OrderBy(j => j.Sequence));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(legacy.IsIntactAndReproducible, Is.True, legacy.Verdict);
            Assert.That(legacy.Integrity.Signatures.Notes, Has.Some.Contains("启用签名之前"));
            Assert.That(legacy.Integrity.Records.Legacy, Is.GreaterThan(0), "its records predate the digests");
            Assert.That(continued.IsIntactAndReproducible, Is.True, continued.Verdict);
            Assert.That(entries.Take(written).Select(e => e.Algorithm), Has.All.Null);
            Assert.That(entries.Skip(written).Select(e => e.Algorithm), Has.All.EqualTo(HashAlgorithms.Sha256), "the chain keeps its algorithm");
            Assert.That(continued.Integrity.Signatures.Keys.Single().HashAlgorithm, Is.EqualTo(HashAlgorithms.Sha256));
            Assert.That(continued.Integrity.Signatures.SignedThrough, Is.EqualTo(entries.Count));
            Assert.That(continued.Integrity.Records.Attested, Is.GreaterThan(0), "what the continuation wrote is attested");
        }
    }

    [Test]
    public async Task A_message_written_outside_the_cases_commands_is_attested_on_a_note_and_the_case_still_reproduces()
    {
        var instance = await CaseAsync();
        var before = (await JournalAsync(instance)).Count;
        // Like the interfaces' sweep: a reminder about an ended case, written in a transaction of its own.
        await using (var db = await ContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Outbox.Add(new OutboxRecord
            {
                Id = Guid.NewGuid(), InstanceId = instance, Type = "notify.case", Key = $"reminder:{instance:N}", PayloadJson = "{\"user\":\"yx.applicant\",\"title\":\"提醒\"}",
                CreatedAt = Clock.GetUtcNow().UtcDateTime, NextAttemptAt = Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        // And the payload of a sent message redacted without a transaction of the caller's own (the dispatcher on SQLite).
        await using (var db = await ContextAsync())
        {
            var message = await db.Outbox.FirstAsync(m => m.InstanceId == instance && m.Type == "notify.task-urged");
            message.PayloadJson = "{\"user\":\"gaj.approver1\"}";
            message.SentAt = Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
        }

        // Marking a message sent changes nothing the digest covers: no entry.
        await using (var db = await ContextAsync())
        {
            var message = await db.Outbox.FirstAsync(m => m.InstanceId == instance && m.Type == "notify.case");
            (message.SentAt, message.Attempts) = (Clock.GetUtcNow().UtcDateTime, 1);
            await db.SaveChangesAsync();
        }

        await AnchorAsync();
        var journal = await JournalAsync(instance);
        var verification = await VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(journal.Skip(before).Select(j => (j.EventName, j.Actor)), Is.EqualTo(new[]
                { (JournalEvents.Note, IntegritySeal.SealActor), (JournalEvents.Note, IntegritySeal.SealActor) }));
            Assert.That(journal[^1].Message, Does.Contain("通知消息 1 条"));
            Assert.That(verification.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(verification.Integrity.Signatures.SignedThrough, Is.EqualTo(journal.Count), "an ended case is signed again at once");
        }
    }

    [Test]
    public async Task A_long_burst_is_signed_every_n_entries_and_the_end_of_the_case_again()
    {
        var id = UniqueId("loop");
        await PublishAsync(new DefinitionBuilder(id).Variable("n", 0).Add("start", "Start")
            .Add("inc", "SetVariable", ("variable", Literal("n")), ("value", Js("variables.n + 1")))
            .Add("check", "Decision", ("condition", Js("variables.n < 40")))
            .Add("wait", "WaitForEvent", Event("more")).Add("end", "End")
            .Connect("start", "inc").Connect("inc", "check").Connect("check:True", "inc").Connect("check:False", "wait").Connect("wait", "end").Build());
        var run = await StartAsync(id);
        var entries = (await JournalAsync(run.InstanceId)).Count;
        var afterBurst = await CheckpointsAsync(run.InstanceId);
        await ResumeAsync(Bookmark(run, "wait").Id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Is.GreaterThan(IntegritySettings.CheckpointEveryEntries));
            Assert.That(afterBurst.Select(c => (c.Sequence, c.Reason)), Is.EqualTo(new[] { ((long)entries, CheckpointReasons.Entries) }));
            Assert.That((await CheckpointsAsync(run.InstanceId)).Select(c => c.Reason), Is.EqualTo(new[] { CheckpointReasons.Entries, CheckpointReasons.Ended }));
        }
    }

    [Test]
    public async Task An_idle_head_is_signed_by_the_sweep_once_the_interval_has_passed()
    {
        var id = UniqueId("idle");
        await PublishAsync(Review(id));
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["resource"] = "人口基本信息" });
        var head = (await JournalAsync(run.InstanceId)).Count;

        Clock.Advance(IntegritySettings.CheckpointInterval / 2);
        await Sweep.RunAsync();
        var early = await CheckpointsAsync(run.InstanceId);
        Clock.Advance(IntegritySettings.CheckpointInterval);
        var swept = await Sweep.RunAsync();
        await AnchorAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(early, Is.Empty, "a case written to a few minutes ago waits for its next write or the interval");
            Assert.That(swept.Instances, Is.GreaterThanOrEqualTo(1));
            Assert.That((await CheckpointsAsync(run.InstanceId)).Select(c => (c.Sequence, c.Reason)), Is.EqualTo(new[] { ((long)head, CheckpointReasons.Interval) }));
            Assert.That((await VerifyAsync(run.InstanceId)).IsIntactAndReproducible, Is.True);
        }
    }

    [Test]
    public async Task A_tail_altered_after_the_last_checkpoint_is_not_signed_at_the_next_one()
    {
        var instance = await CaseAsync(finish: false);
        var signed = (await CheckpointsAsync(instance))[^1].Sequence;
        var reply = await OpenTaskAsync(instance, "reply");
        Ok(await Tasks.CommentAsync(reply.Id, Approver, "正在核实"));
        await ExecuteSqlAsync("UPDATE \"wf_journal\" SET \"Message\" = '同意（伪造）' WHERE \"InstanceId\" = {0} AND \"Sequence\" = {1}", instance, signed + 1);

        Ok(await Tasks.ApproveAsync(reply.Id, Approver, "已更正", FormExamples.ObjectionReply()));
        var verification = await VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await CheckpointsAsync(instance))[^1].Sequence, Is.EqualTo(signed), "the engine does not sign a chain that does not hold");
            Assert.That(verification.HashChain.Violations.Select(v => v.Sequence), Is.EqualTo(new[] { signed + 1 }));
            Assert.That(verification.Integrity.Signatures.Violations.Select(v => v.Kind), Is.EqualTo(new[] { "Unsigned" }));
        }
    }

    [Test]
    public async Task The_sweep_writes_a_signed_printable_digest_of_each_finished_day()
    {
        await CaseAsync();
        Clock.Advance(TimeSpan.FromDays(1));

        var swept = await Sweep.RunAsync();
        var again = await Sweep.RunAsync();

        Assert.That(swept.DailyDigests, Is.Not.Empty);
        Assert.That(again.DailyDigests, Is.Empty, "written once");
        var text = await File.ReadAllTextAsync(swept.DailyDigests[0]);
        var day = Path.GetFileNameWithoutExtension(swept.DailyDigests[0]);
        var lines = Directory.EnumerateFiles(Path.Combine(IntegritySettings.AnchorPath, "daily", day)).Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f).TrimEnd('\n')).ToList();
        var summary = HashAlgorithms.Hex(HashAlgorithms.Sm3, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var keyLine = text.Split('\n').Single(l => l.StartsWith("签名密钥：", StringComparison.Ordinal));
        var keyId = keyLine.Substring("签名密钥：".Length, 16);
        var key = Services.GetRequiredService<SigningKeyStore>().Find(keyId)!;
        var signature = Convert.FromBase64String(text.Split('\n').Single(l => l.StartsWith("签名：", StringComparison.Ordinal))["签名：".Length..].Trim());
        var signed = System.Text.Encoding.UTF8.GetBytes($"pds-anchor-day/1\n{day}\n{lines.Count}\n{summary}\n{key.KeyId}\n{key.Algorithm}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain($"检查点数量：{lines.Count}").And.Contain(summary));
            Assert.That(Signatures.Verify(key.Algorithm, key.PublicKey, signed, signature), Is.True);
        }
    }
}
