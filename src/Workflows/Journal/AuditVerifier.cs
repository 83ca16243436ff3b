namespace PdsWorkflow.Workflows.Journal;

/// <summary>
/// The auditor's verdict on one instance: the hash chain (nothing changed since it was written) and the replay (the
/// recorded inputs, run again against the pinned version, give the recorded path and entries).
/// </summary>
public sealed record AuditVerification(Guid InstanceId, JournalVerification HashChain, ReplayResult Replay)
{
    public bool IsIntact => HashChain.IsIntact;

    public bool IsReproducible => Replay.Reproducible;

    public bool IsIntactAndReproducible => IsIntact && IsReproducible;

    /// <summary>
    /// "完整且可复现" only when both checks pass; otherwise the entries that differ. What the replay did not re-execute
    /// is always said.
    /// </summary>
    public string Verdict
    {
        get
        {
            var parts = new List<string>();
            parts.Add(IsIntactAndReproducible
                ? $"完整且可复现：共 {HashChain.EntryCount} 条，哈希链校验通过，按记录的输入重新执行得到相同的 {Replay.EntriesReproduced} 条记录"
                : IsIntact
                    ? $"哈希链完整，但不可复现：{Replay.FirstDifference!.Message}"
                    : HashChain.Verdict.TrimEnd('。') + (IsReproducible ? "" : $"；重新执行：{Replay.FirstDifference!.Message.TrimEnd('。')}"));
            if (Replay.SubstitutedTypes.Count > 0)
                parts.Add($"以下环节类型作用于其他系统，未重新执行，采用记录的结果：{string.Join("、", Replay.SubstitutedTypes)}");
            if (Replay.AdoptedEntries.Count > 0)
                parts.Add($"任务操作记录 {Replay.AdoptedEntries.Count} 条（第 {string.Join("、", Replay.AdoptedEntries)} 条）按记录采信");
            return string.Join("；", parts) + "。";
        }
    }
}

public sealed class AuditVerifier(JournalVerifier chain, JournalReplayer replayer)
{
    public async Task<AuditVerification?> VerifyAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var hashChain = await chain.VerifyAsync(instanceId, cancellationToken);
        if (hashChain is null) return null;
        var replay = await replayer.ReplayAsync(instanceId, cancellationToken);
        return replay is null ? null : new AuditVerification(instanceId, hashChain, replay);
    }
}
