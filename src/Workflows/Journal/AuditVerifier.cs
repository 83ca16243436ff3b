using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>One of the checks 验证 makes, as the auditor reads it: a pass, or the first failure.</summary>
/// <param name="Name"><c>chain</c>, <c>records</c>, <c>signatures</c>, <c>anchor</c> or <c>replay</c>.</param>
/// <param name="Passed">False only for a failure; a check not made (no anchor configured) passes with a summary that says so.</param>
public sealed record VerificationCheck(string Name, string Title, bool Passed, string Summary, string? FirstFailure, IReadOnlyList<string> Notes);

/// <summary>
/// The auditor's verdict on one instance: the hash chain, the records it attests (task actions, attachments,
/// messages), the signed checkpoints and the anchor (nothing changed since it was written, even by someone who can write
/// the database), and the replay (the recorded inputs, run again against the pinned version, give the recorded path).
/// </summary>
public sealed record AuditVerification(Guid InstanceId, JournalVerification HashChain, IntegrityReport Integrity, ReplayResult Replay)
{
    public bool IsIntact => HashChain.IsIntact && Integrity.Passed;

    public bool IsReproducible => Replay.Reproducible;

    public bool IsIntactAndReproducible => IsIntact && IsReproducible;

    /// <summary>Each check with its pass or first failure, in the order the auditor reads them.</summary>
    public IReadOnlyList<VerificationCheck> Checks =>
    [
        new("chain", "日志哈希链", HashChain.IsIntact, HashChain.IsIntact ? $"共 {HashChain.EntryCount} 条，逐条哈希相连" : $"有 {HashChain.Violations.Count} 处被改动",
            HashChain.Violations.FirstOrDefault()?.Message, []),
        new("records", "办理记录、附件与通知", Integrity.Records.Passed, Integrity.Records.Summary, Integrity.Records.Violations.FirstOrDefault()?.Message, []),
        new("signatures", "签名检查点", Integrity.Signatures.Passed, Integrity.Signatures.Summary, Integrity.Signatures.Violations.FirstOrDefault()?.Message,
            Integrity.Signatures.Notes),
        new("anchor", "外部存证", Integrity.Anchor.Passed, Integrity.Anchor.Summary, Integrity.Anchor.Violations.FirstOrDefault()?.Message, []),
        new("replay", "重新执行", Replay.Reproducible,
            Replay.Reproducible ? $"按记录的输入重新执行，得到相同的 {Replay.EntriesReproduced} 条记录" : "重新执行的结果与记录不同",
            Replay.FirstDifference?.Message, ReplayNotes(Replay)),
    ];

    /// <summary>"完整且可复现" only when every check passes; otherwise the first failure of each check that failed.</summary>
    public string Verdict
    {
        get
        {
            var checks = Checks;
            var failed = checks.Where(c => !c.Passed).ToList();
            var head = failed.Count == 0
                ? $"完整且可复现：共 {HashChain.EntryCount} 条，哈希链、相关记录、签名检查点{(Integrity.Anchor.Configured ? "与外部存证" : "")}校验通过，按记录的输入重新执行得到相同的 {Replay.EntriesReproduced} 条记录"
                : failed.All(c => c.Name == "replay")
                    ? $"哈希链完整，但不可复现：{Trim(Replay.FirstDifference!.Message)}"
                    : string.Join("；", failed.Select(c => $"{c.Title}：{Trim(c.FirstFailure ?? c.Summary)}"));
            return string.Join("；", new[] { head }.Concat(ReplayNotes(Replay))) + "。";
        }
    }

    private static string Trim(string text) => text.TrimEnd('。');

    private static IReadOnlyList<string> ReplayNotes(ReplayResult replay)
    {
        var notes = new List<string>();
        if (replay.SubstitutedTypes.Count > 0)
            notes.Add($"以下环节类型作用于其他系统，未重新执行，采用记录的结果：{string.Join("、", replay.SubstitutedTypes)}");
        if (replay.AdoptedEntries.Count > 0)
            notes.Add($"任务操作记录 {replay.AdoptedEntries.Count} 条（第 {string.Join("、", replay.AdoptedEntries)} 条）按记录采信");
        return notes;
    }
}

public sealed class AuditVerifier(WorkflowStore store, IntegrityVerifier integrity, JournalReplayer replayer)
{
    public async Task<AuditVerification?> VerifyAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        if (await VerifyRecordedAsync(instanceId, cancellationToken) is not { } recorded) return null;
        var replay = await replayer.ReplayAsync(instanceId, cancellationToken);
        return replay is null ? null : new AuditVerification(instanceId, recorded.HashChain, recorded.Integrity, replay);
    }

    /// <summary>
    /// Everything 验证 checks except the re-execution: the hash chain, the covered records, the signed checkpoints and
    /// the anchor. Null when there is no such instance.
    /// </summary>
    public async Task<(JournalVerification HashChain, IntegrityReport Integrity)?> VerifyRecordedAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (instance is null) return null;
        var entries = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        return (JournalVerifier.Verify(instance, entries), await integrity.VerifyInstanceAsync(db, instance, entries, cancellationToken));
    }
}
