using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>One place where a check failed, or a remark it makes without failing.</summary>
public sealed record IntegrityFinding(long? Sequence, string Kind, string Message);

/// <summary>A key that signed checkpoints of the chain: which, with which algorithms, over which entries.</summary>
public sealed record SigningKeyUse(string KeyId, string SignatureAlgorithm, string HashAlgorithm, bool Trusted, int Checkpoints, long FirstSequence, long LastSequence);

/// <summary>The chain's signed checkpoints against its entries.</summary>
public sealed record SignatureVerification(int Checkpoints, long SignedThrough, long Entries, IReadOnlyList<SigningKeyUse> Keys,
    IReadOnlyList<IntegrityFinding> Violations, IReadOnlyList<string> Notes)
{
    public bool Passed => Violations.Count == 0;

    public string Summary => !Passed ? $"签名检查点有 {Violations.Count} 处不符"
        : Checkpoints == 0 ? "尚无签名检查点"
        : $"{Checkpoints} 个签名检查点有效，签署至第 {SignedThrough} 条（{string.Join("；", Keys.Select(k => $"密钥 {k.KeyId}，{k.SignatureAlgorithm} 签名，{k.HashAlgorithm} 哈希"))}）";
}

/// <summary>The chain's checkpoints against the external record, when one is configured.</summary>
public sealed record AnchorVerification(bool Configured, int Anchored, int Pending, IReadOnlyList<IntegrityFinding> Violations)
{
    public bool Passed => Violations.Count == 0;

    public string Summary => !Configured ? "未配置外部存证（Integrity:AnchorPath），未比对"
        : !Passed ? $"与外部存证有 {Violations.Count} 处不符"
        : $"外部存证中的 {Anchored} 个检查点与数据库和日志一致" + (Pending > 0 ? $"；{Pending} 个检查点等待写入外部存证" : "");
}

/// <summary>What verifying a chain found beyond its hashes: its records, its signatures, its anchor.</summary>
public sealed record IntegrityReport(RecordsVerification Records, SignatureVerification Signatures, AnchorVerification Anchor)
{
    public bool Passed => Records.Passed && Signatures.Passed && Anchor.Passed;
}

/// <summary>A global stream verified: its chain, records, signatures and anchor.</summary>
public sealed record StreamVerification(string Stream, long Entries, IReadOnlyList<IntegrityFinding> Chain, IntegrityReport Integrity)
{
    public bool Passed => Chain.Count == 0 && Integrity.Passed;
}

/// <summary>
/// Verifies what a database writer cannot forge without the signing key: the covered records against the digests the
/// chain attested, the chain's heads against the signed checkpoints (with public keys from the key folder only), and
/// the checkpoints against the anchor.
/// </summary>
public sealed class IntegrityVerifier(WorkflowStore store, CoveredRecords covered, RecordCoverage coverage, Checkpointer checkpointer, CheckpointAnchor anchor)
{
    internal async Task<IntegrityReport> VerifyInstanceAsync(WorkflowDbContext db, InstanceRecord instance, IReadOnlyList<JournalRecord> entries,
        CancellationToken cancellationToken)
    {
        var stream = StreamKeys.Instance(instance.Id);
        var attested = RecordCoverage.Attested(entries.Select(e => (e.Sequence, e.Algorithm ?? JournalChain.LegacyAlgorithm, e.Records)));
        var firstAttesting = entries.FirstOrDefault(e => e.Algorithm is not null);
        var legacyBefore = entries.Count > 0 && entries[0].Algorithm is null ? firstAttesting?.Timestamp ?? DateTime.MaxValue : (DateTime?)null;
        var records = coverage.Verify(await coverage.RowsOfInstanceAsync(db, instance.Id, cancellationToken), attested, legacyBefore);

        var heads = new Head(entries.ToDictionary(e => e.Sequence, e => (e.Hash, e.Algorithm ?? JournalChain.LegacyAlgorithm)),
            entries.Count == 0 ? 0 : entries[^1].Sequence);
        var checkpoints = await CheckpointsAsync(db, stream, cancellationToken);
        var legacyOnly = entries.Count > 0 && entries.All(e => e.Algorithm is null);
        var trusted = checkpointer.TrustedKeys();
        var signatures = Signatures(checkpoints, heads, trusted, WorkflowStatus.IsTerminal(instance.Status), legacyOnly);
        var anchored = await AnchorAsync(db, stream, checkpoints, heads, trusted, cancellationToken);
        return new IntegrityReport(records, signatures, anchored);
    }

    /// <summary>A global stream (<c>calendar</c>, …); null when no record kind uses it.</summary>
    public async Task<StreamVerification?> VerifyStreamAsync(string stream, CancellationToken cancellationToken = default)
    {
        if (!covered.GlobalStreams.Contains(stream)) return null;
        await using var db = await store.CreateContextAsync(cancellationToken);
        var head = await db.Streams.AsNoTracking().FirstOrDefaultAsync(s => s.Stream == stream, cancellationToken);
        var entries = await db.StreamEntries.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        var chain = StreamChain(entries, head);
        var attested = RecordCoverage.Attested(entries.Select(e => (e.Sequence, e.Algorithm, (string?)e.Records)));
        var records = coverage.Verify(await coverage.RowsOfStreamAsync(db, stream, cancellationToken), attested, entries.Count == 0 ? DateTime.MaxValue : entries[0].Timestamp);
        var heads = new Head(entries.ToDictionary(e => e.Sequence, e => (e.Hash, e.Algorithm)), entries.Count == 0 ? 0 : entries[^1].Sequence);
        var checkpoints = await CheckpointsAsync(db, stream, cancellationToken);
        var trusted = checkpointer.TrustedKeys();
        var report = new IntegrityReport(records, Signatures(checkpoints, heads, trusted, ended: false, legacyOnly: false),
            await AnchorAsync(db, stream, checkpoints, heads, trusted, cancellationToken));
        return new StreamVerification(stream, entries.Count, chain, report);
    }

    /// <summary>The stored entries by sequence (hash and algorithm), and the last one.</summary>
    private sealed record Head(Dictionary<long, (string Hash, string Algorithm)> Entries, long LastStored);

    private static Task<List<CheckpointRecord>> CheckpointsAsync(WorkflowDbContext db, string stream, CancellationToken cancellationToken) =>
        db.Checkpoints.AsNoTracking().Where(c => c.Stream == stream).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);

    private SignatureVerification Signatures(List<CheckpointRecord> checkpoints, Head head, IReadOnlyDictionary<string, TrustedKey> trusted, bool ended,
        bool legacyOnly)
    {
        var violations = new List<IntegrityFinding>();
        var notes = new List<string>();
        var uses = new Dictionary<string, (CheckpointRecord First, CheckpointRecord Last, int Count, bool Trusted)>();
        long signedThrough = 0;
        foreach (var checkpoint in checkpoints)
        {
            var key = checkpointer.Verify(checkpoint, trusted);
            uses[checkpoint.KeyId] = uses.TryGetValue(checkpoint.KeyId, out var use)
                ? (use.First, checkpoint, use.Count + 1, use.Trusted && key is not null)
                : (checkpoint, checkpoint, 1, key is not null);
            if (key is null)
            {
                violations.Add(new IntegrityFinding(checkpoint.Sequence, "BadSignature", trusted.ContainsKey(checkpoint.KeyId)
                    ? $"第 {checkpoint.Sequence} 条处的检查点签名无效（密钥 {checkpoint.KeyId}，{checkpoint.SignatureAlgorithm}）：检查点被伪造或改动"
                    : $"第 {checkpoint.Sequence} 条处的检查点由不受信任的密钥 {checkpoint.KeyId} 签署（公钥目录中没有该密钥）：检查点被伪造"));
                continue;
            }

            signedThrough = Math.Max(signedThrough, checkpoint.Sequence);
            if (Compare(checkpoint, head, "签名检查点") is { } finding) violations.Add(finding);
        }

        if (head.LastStored > signedThrough)
        {
            var tail = signedThrough + 1 == head.LastStored ? $"第 {head.LastStored} 条" : $"第 {signedThrough + 1} 至 {head.LastStored} 条";
            if (legacyOnly && checkpoints.Count == 0) notes.Add("该流程的日志写于启用签名之前，尚无签名检查点，由定期签名任务补签");
            else if (ended) violations.Add(new IntegrityFinding(signedThrough + 1, "Unsigned", $"流程已结束，但{tail}没有签名检查点：结束时签署的检查点被删除，或其后被追加了记录"));
            else notes.Add($"{tail}尚未签名，将在下一个检查点签署");
        }

        var keys = uses.Select(u => new SigningKeyUse(u.Key, u.Value.First.SignatureAlgorithm, u.Value.First.HashAlgorithm, u.Value.Trusted, u.Value.Count,
            u.Value.First.Sequence, u.Value.Last.Sequence)).ToList();
        return new SignatureVerification(checkpoints.Count, signedThrough, head.LastStored, keys, violations, notes);
    }

    /// <summary>A signed head against the stored chain: the entry it signed must still be there with the hash it signed.</summary>
    private static IntegrityFinding? Compare(CheckpointRecord checkpoint, Head head, string what)
    {
        if (!head.Entries.TryGetValue(checkpoint.Sequence, out var entry))
            return checkpoint.Sequence > head.LastStored
                ? new IntegrityFinding(checkpoint.Sequence, "Truncated",
                    $"{what}签署到第 {checkpoint.Sequence} 条，现存记录只到第 {head.LastStored} 条：第 {head.LastStored + 1} 至 {checkpoint.Sequence} 条被删除")
                : new IntegrityFinding(checkpoint.Sequence, "Missing", $"{what}签署过的第 {checkpoint.Sequence} 条已不存在");
        if (entry.Algorithm != checkpoint.HashAlgorithm)
            return new IntegrityFinding(checkpoint.Sequence, "Rewritten",
                $"第 {checkpoint.Sequence} 条的哈希算法为 {entry.Algorithm}，{what}签署时为 {checkpoint.HashAlgorithm}：日志被改写");
        return entry.Hash == checkpoint.HeadHash ? null : new IntegrityFinding(checkpoint.Sequence, "Rewritten",
            $"第 {checkpoint.Sequence} 条的哈希与{what}（密钥 {checkpoint.KeyId}，{checkpoint.SignatureAlgorithm}，{EngineRecordKinds.Time(checkpoint.SignedAt)} 签署）不符：签名之后记录被改写（含重算哈希链）");
    }

    private async Task<AnchorVerification> AnchorAsync(WorkflowDbContext db, string stream, List<CheckpointRecord> checkpoints, Head head,
        IReadOnlyDictionary<string, TrustedKey> trusted, CancellationToken cancellationToken)
    {
        if (!anchor.Enabled) return new AnchorVerification(false, 0, 0, []);
        var violations = new List<IntegrityFinding>();
        var anchored = anchor.Read(stream);
        var inDatabase = checkpoints.ToDictionary(c => c.Sequence);
        foreach (var (sequence, checkpoint, problem) in anchored)
        {
            if (checkpoint is null)
            {
                violations.Add(new IntegrityFinding(sequence, "AnchorUnreadable", problem!));
                continue;
            }

            var stored = inDatabase.GetValueOrDefault(sequence);
            var same = stored is not null && stored.Signature == checkpoint.Signature && stored.HeadHash == checkpoint.HeadHash
                       && stored.KeyId == checkpoint.KeyId && stored.SignedAt == checkpoint.SignedAt;
            if (!same && checkpointer.Verify(checkpoint, trusted) is null)
            {
                violations.Add(new IntegrityFinding(sequence, "AnchorBadSignature", $"外部存证中第 {sequence} 条的检查点签名无效"));
                continue;
            }

            if (stored is null)
                violations.Add(new IntegrityFinding(sequence, "CheckpointDeleted",
                    $"外部存证有第 {sequence} 条的签名检查点（{EngineRecordKinds.Time(checkpoint.SignedAt)} 签署），数据库中没有：检查点被删除"));
            else if (!same)
                violations.Add(new IntegrityFinding(sequence, "CheckpointDiverges", $"数据库中第 {sequence} 条的检查点与外部存证不一致"));
            if (Compare(checkpoint, head, "外部存证的检查点") is { } finding) violations.Add(finding);
        }

        var missing = checkpoints.Where(c => anchored.All(a => a.Sequence != c.Sequence)).ToList();
        var pending = 0;
        if (missing.Count > 0)
        {
            var prefix = $"anchor:{stream}:";
            var waiting = (await db.Outbox.AsNoTracking().Where(m => m.Type == CheckpointAnchor.MessageType && m.SentAt == null && m.Key.StartsWith(prefix))
                .Select(m => m.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var checkpoint in missing)
            {
                if (waiting.Contains(prefix + checkpoint.Sequence)) pending++;
                else violations.Add(new IntegrityFinding(checkpoint.Sequence, "AnchorMissing", $"外部存证中缺少第 {checkpoint.Sequence} 条的检查点"));
            }
        }

        return new AnchorVerification(true, anchored.Count, pending, violations);
    }

    private static List<IntegrityFinding> StreamChain(List<StreamEntryRecord> entries, StreamRecord? head)
    {
        var findings = new List<IntegrityFinding>();
        var previous = "";
        long expected = 1;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expected)
                findings.Add(new IntegrityFinding(expected, "Missing", expected == entry.Sequence - 1 ? $"第 {expected} 条被删除" : $"第 {expected} 至 {entry.Sequence - 1} 条被删除"));
            if (StreamHasher.Compute(entry) != entry.Hash)
                findings.Add(new IntegrityFinding(entry.Sequence, "Altered", $"第 {entry.Sequence} 条内容被修改"));
            else if (entry.PreviousHash != previous && entry.Sequence == expected)
                findings.Add(new IntegrityFinding(entry.Sequence, "Inserted", $"第 {entry.Sequence} 条与前一条不衔接（其前有记录被插入或替换）"));
            previous = entry.Hash;
            expected = entry.Sequence + 1;
        }

        if (head is not null && head.Sequence > expected - 1)
            findings.Add(new IntegrityFinding(expected, "Missing", $"第 {expected} 至 {head.Sequence} 条被删除"));
        else if (head is not null && head.Sequence == expected - 1 && head.HeadHash != previous && findings.Count == 0)
            findings.Add(new IntegrityFinding(head.Sequence, "Altered", $"第 {head.Sequence} 条与记录流的链尾不符"));
        return findings;
    }
}
