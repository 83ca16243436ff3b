using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// Everything the tracking page shows as history is under the chain: a change, deletion, insertion or reordering of a
/// task action, an attachment or a message, made in the database behind the platform's back, is reported by 验证 with
/// the record and the kind of change.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CoveredRecordTests(DatabaseProvider provider) : IntegrityTestBase(provider)
{
    [Test]
    public async Task An_untouched_case_verifies_its_chain_records_signatures_anchor_and_replay()
    {
        var instance = await CaseAsync();

        var verification = await VerifyAsync(instance);
        var journal = await JournalAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(verification.Verdict, Does.StartWith("完整且可复现").And.Contain("签名检查点与外部存证校验通过"));
            Assert.That(verification.Checks.Select(c => (c.Name, c.Passed)), Is.EqualTo(new[]
                { ("chain", true), ("records", true), ("signatures", true), ("anchor", true), ("replay", true) }));
            var kinds = verification.Integrity.Records.Kinds.ToDictionary(k => k.Kind, k => k.Rows);
            Assert.That(kinds["attachment"], Is.EqualTo(2));
            Assert.That(kinds["task-action"], Is.GreaterThanOrEqualTo(6), "created, form save, attach ×2, approve, urge, approve…");
            Assert.That(kinds["message"], Is.GreaterThanOrEqualTo(3), "assigned to the applicant and to the provider, urged");
            Assert.That(verification.Integrity.Records.Legacy, Is.Zero);
            Assert.That(verification.Integrity.Signatures.SignedThrough, Is.EqualTo(journal.Count), "the case's end is signed");
            Assert.That(verification.Integrity.Signatures.Keys.Select(k => (k.SignatureAlgorithm, k.HashAlgorithm, k.Trusted)),
                Is.EqualTo(new[] { (SignatureAlgorithms.Sm2, HashAlgorithms.Sm3, true) }));
            Assert.That(verification.Integrity.Anchor.Anchored, Is.EqualTo(verification.Integrity.Signatures.Checkpoints));
            Assert.That(File.Exists(AnchorFile(instance, journal.Count)), Is.True);
        }
    }

    public enum Table
    {
        TaskActions,
        Attachments,
        Messages,
    }

    /// <summary>Each kind of change to each covered table, made with SQL as a database writer would.</summary>
    [Test]
    public async Task A_change_behind_the_platforms_back_is_named_with_its_record_and_kind(
        [Values] Table table, [Values(RecordChanges.Altered, RecordChanges.Deleted, RecordChanges.Inserted, RecordChanges.Reordered)] string change)
    {
        var instance = await CaseAsync();
        var (name, kind, order) = table switch
        {
            Table.TaskActions => ("wf_task_actions", "task-action", new[] { "At", "Sequence" }),
            Table.Attachments => ("wf_attachments", "attachment", new[] { "UploadedAt" }),
            _ => ("wf_outbox", "message", new[] { "CreatedAt" }),
        };
        var ids = table switch
        {
            Table.TaskActions => await RowsAsync(db => db.TaskActions.Where(a => a.InstanceId == instance && a.Action == TaskActions.Approve)
                .OrderBy(a => a.At).Select(a => a.Id)),
            Table.Attachments => await RowsAsync(db => db.Attachments.Where(a => a.InstanceId == instance).OrderBy(a => a.UploadedAt).Select(a => a.Id)),
            _ => await RowsAsync(db => db.Outbox.Where(m => m.InstanceId == instance).OrderBy(m => m.CreatedAt).Select(m => m.Id)),
        };
        var (target, other) = (ids[^1], ids[0]);
        var forged = Guid.NewGuid();
        var table_ = $"\"{name}\"";
        switch (change)
        {
            case RecordChanges.Altered when table == Table.TaskActions:
                await ExecuteSqlAsync($"UPDATE {table_} SET \"Actor\" = 'intruder', \"Comment\" = '伪造的意见' WHERE \"Id\" = {{0}}", target);
                break;
            case RecordChanges.Altered when table == Table.Attachments:
                await ExecuteSqlAsync($"UPDATE {table_} SET \"Sha256\" = '{new string('0', 64)}' WHERE \"Id\" = {{0}}", target);
                break;
            case RecordChanges.Altered:
                await ExecuteSqlAsync($"UPDATE {table_} SET \"PayloadJson\" = {{1}} WHERE \"Id\" = {{0}}", target, "{\"user\":\"intruder\"}");
                break;
            case RecordChanges.Deleted:
                await ExecuteSqlAsync($"DELETE FROM {table_} WHERE \"Id\" = {{0}}", target);
                break;
            case RecordChanges.Inserted:
                await ExecuteSqlAsync(table switch
                {
                    Table.TaskActions =>
                        $"INSERT INTO {table_} (\"Id\", \"InstanceId\", \"TaskId\", \"Action\", \"Actor\", \"At\", \"Sequence\", \"Comment\", \"BeforeJson\", \"AfterJson\") " +
                        $"SELECT {{0}}, \"InstanceId\", \"TaskId\", \"Action\", 'intruder', \"At\", \"Sequence\" + 1, '补签的意见', \"BeforeJson\", \"AfterJson\" FROM {table_} WHERE \"Id\" = {{1}}",
                    Table.Attachments =>
                        $"INSERT INTO {table_} (\"Id\", \"InstanceId\", \"TaskId\", \"FileName\", \"ContentType\", \"Size\", \"Sha256\", \"UploadedBy\", \"UploadedAt\") " +
                        $"SELECT {{0}}, \"InstanceId\", \"TaskId\", '补充材料.pdf', \"ContentType\", \"Size\", \"Sha256\", \"UploadedBy\", \"UploadedAt\" FROM {table_} WHERE \"Id\" = {{1}}",
                    _ =>
                        $"INSERT INTO {table_} (\"Id\", \"InstanceId\", \"Type\", \"Key\", \"PayloadJson\", \"CreatedAt\", \"Attempts\", \"NextAttemptAt\", \"SentAt\") " +
                        $"SELECT {{0}}, \"InstanceId\", \"Type\", 'forged-key', \"PayloadJson\", \"CreatedAt\", 0, \"NextAttemptAt\", \"SentAt\" FROM {table_} WHERE \"Id\" = {{1}}",
                }, forged, target);
                break;
            default:
                // Swap the order fields of two rows: history then shows them the other way round.
                foreach (var column in order)
                {
                    var values = await OrderValuesAsync(table, column, target, other);
                    await ExecuteSqlAsync($"UPDATE {table_} SET \"{column}\" = {{0}} WHERE \"Id\" = {{1}}", values.Other, target);
                    await ExecuteSqlAsync($"UPDATE {table_} SET \"{column}\" = {{0}} WHERE \"Id\" = {{1}}", values.Target, other);
                }

                break;
        }

        var verification = await VerifyAsync(instance);
        var expected = change switch
        {
            RecordChanges.Inserted => new[] { (kind, forged.ToString("N"), change) },
            RecordChanges.Reordered => new[] { (kind, other.ToString("N"), change), (kind, target.ToString("N"), change) },
            _ => new[] { (kind, target.ToString("N"), change) },
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification.Integrity.Records.Violations.Select(v => (v.Kind, v.RecordId, v.Change)), Is.EquivalentTo(expected));
            Assert.That(verification.HashChain.IsIntact, Is.True, "the journal itself was not touched");
            Assert.That(verification.IsIntact, Is.False);
            var first = verification.Checks.Single(c => c.Name == "records");
            Assert.That(first.Passed, Is.False);
            Assert.That(verification.Verdict, Does.StartWith("办理记录、附件与通知：").And.Contain(first.FirstFailure!.TrimEnd('。')));
            Assert.That(first.FirstFailure, Does.Contain(change switch
            {
                RecordChanges.Altered => "被修改",
                RecordChanges.Deleted => "已被删除",
                RecordChanges.Inserted => "事后插入",
                _ => "顺序被调换",
            }));
        }
    }

    private async Task<(object Target, object Other)> OrderValuesAsync(Table table, string column, Guid target, Guid other)
    {
        await using var db = await ContextAsync();
        object Value(Guid id) => table switch
        {
            Table.TaskActions when column == "At" => db.TaskActions.Where(a => a.Id == id).Select(a => a.At).Single(),
            Table.TaskActions => db.TaskActions.Where(a => a.Id == id).Select(a => a.Sequence).Single(),
            Table.Attachments => db.Attachments.Where(a => a.Id == id).Select(a => a.UploadedAt).Single(),
            _ => db.Outbox.Where(m => m.Id == id).Select(m => m.CreatedAt).Single(),
        };
        return (Value(target), Value(other));
    }

    [Test]
    public async Task A_forged_approver_with_its_digest_and_every_hash_recomputed_is_caught_by_the_signature()
    {
        var instance = await CaseAsync();
        var approval = (await RowsAsync(db => db.TaskActions.Where(a => a.InstanceId == instance && a.Action == TaskActions.Approve && a.Actor == Approver))).Single();
        approval.Actor = "intruder";
        approval.Comment = "同意（伪造）";
        var digest = EngineRecordKinds.TaskActions.Digest(HashAlgorithms.Sm3, approval);
        await ExecuteSqlAsync("UPDATE \"wf_task_actions\" SET \"Actor\" = 'intruder', \"Comment\" = '同意（伪造）' WHERE \"Id\" = {0}", approval.Id);
        // The intruder knows the format: the attested digest is replaced too, and the whole chain recomputed.
        await RecomputeChainAsync(instance, entries =>
        {
            var carrier = entries.Single(e => e.Records?.Contains(approval.Id.ToString("N"), StringComparison.Ordinal) == true);
            carrier.Records = string.Join('\n', carrier.Records!.Split('\n')
                .Select(l => l.StartsWith($"task-action {approval.Id:N} ", StringComparison.Ordinal) ? $"task-action {approval.Id:N} {digest}" : l));
        });

        var verification = await VerifyAsync(instance);
        var last = (await JournalAsync(instance)).Count;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification.HashChain.IsIntact, Is.True, "every hash recomputed");
            Assert.That(verification.Integrity.Records.Passed, Is.True, "the record matches its forged digest");
            Assert.That(verification.Integrity.Signatures.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { ((long?)last, "Rewritten") }));
            Assert.That(verification.Integrity.Anchor.Violations.Select(v => v.Kind), Is.EqualTo(new[] { "Rewritten" }), "and the anchored copy says the same");
            Assert.That(verification.IsIntact, Is.False);
            Assert.That(verification.Verdict, Does.Contain("签名检查点：").And.Contain($"第 {last} 条的哈希与签名检查点"));
        }
    }

    [Test]
    public async Task A_deleted_tail_is_caught_by_the_checkpoint_and_by_the_anchor_when_the_checkpoints_are_deleted_too()
    {
        var instance = await CaseAsync();
        var count = (await JournalAsync(instance)).Count;
        await ExecuteSqlAsync("DELETE FROM \"wf_journal\" WHERE \"InstanceId\" = {0} AND \"Sequence\" > {1}", instance, count - 3);
        await RecomputeChainAsync(instance);

        var truncated = await VerifyAsync(instance);
        await ExecuteSqlAsync("DELETE FROM \"wf_checkpoints\" WHERE \"Stream\" = {0}", StreamKeys.Instance(instance));
        var withoutCheckpoints = await VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(truncated.HashChain.IsIntact, Is.True, "what is left chains");
            Assert.That(truncated.Integrity.Signatures.Violations.Select(v => v.Kind), Is.EqualTo(new[] { "Truncated" }));
            Assert.That(truncated.Integrity.Signatures.Violations[0].Message, Does.Contain($"现存记录只到第 {count - 3} 条"));
            Assert.That(withoutCheckpoints.Integrity.Signatures.Violations.Select(v => v.Kind), Is.EqualTo(new[] { "Unsigned" }), "an ended case must be signed");
            Assert.That(withoutCheckpoints.Integrity.Anchor.Violations.Select(v => v.Kind), Is.SupersetOf(new[] { "CheckpointDeleted", "Truncated" }));
            Assert.That(withoutCheckpoints.Checks.Single(c => c.Name == "anchor").FirstFailure, Does.Contain("数据库中没有"));
        }
    }

    [Test]
    public async Task The_anchor_reports_a_checkpoint_missing_from_it_and_a_forged_one_in_it()
    {
        var instance = await CaseAsync();
        var checkpoint = (await CheckpointsAsync(instance))[^1];
        var file = AnchorFile(instance, checkpoint.Sequence);
        var text = await File.ReadAllTextAsync(file);
        File.Delete(file);

        var missing = await VerifyAsync(instance);
        await File.WriteAllTextAsync(file, text.Replace(checkpoint.HeadHash, new string('1', 64), StringComparison.Ordinal));
        var forged = await VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing.Integrity.Anchor.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { ((long?)checkpoint.Sequence, "AnchorMissing") }));
            Assert.That(forged.Integrity.Anchor.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { ((long?)checkpoint.Sequence, "AnchorBadSignature") }));
            Assert.That(forged.Integrity.Signatures.Passed, Is.True, "the database's own checkpoint is sound");
        }
    }

    [Test]
    public async Task A_checkpoint_signed_by_a_key_outside_the_trusted_folder_or_altered_is_rejected()
    {
        var instance = await CaseAsync();
        var last = (await CheckpointsAsync(instance))[^1];
        var stranger = Signatures.Generate(SignatureAlgorithms.Sm2);
        var forged = new CheckpointRecord
        {
            Id = Guid.NewGuid(), Stream = last.Stream, Sequence = 1, HeadHash = (await JournalAsync(instance))[0].Hash, HashAlgorithm = last.HashAlgorithm,
            SignatureAlgorithm = SignatureAlgorithms.Sm2, KeyId = stranger.KeyId, SignedAt = last.SignedAt, Signature = "", Reason = CheckpointReasons.Entries,
        };
        forged.Signature = Convert.ToBase64String(Signatures.Sign(stranger, CheckpointMessage.Of(forged)));
        await using (var db = await IntruderAsync())
        {
            db.Checkpoints.Add(forged);
            (await db.Checkpoints.SingleAsync(c => c.Id == last.Id)).SignedAt = last.SignedAt.AddSeconds(-1);
            await db.SaveChangesAsync();
        }

        var verification = await VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification.Integrity.Signatures.Violations.Where(v => v.Kind == "BadSignature").Select(v => v.Sequence),
                Is.EquivalentTo(new long?[] { 1, last.Sequence }));
            Assert.That(verification.Integrity.Signatures.Violations.Select(v => v.Kind), Does.Contain("Unsigned"),
                "without its valid last checkpoint the ended case's tail is unsigned");
            Assert.That(verification.Integrity.Signatures.Violations.Single(v => v.Sequence == 1).Message, Does.Contain("不受信任的密钥"));
            Assert.That(verification.Integrity.Signatures.Keys.Single(k => k.KeyId == stranger.KeyId).Trusted, Is.False);
        }
    }
}
