using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Integrity;

public static class RecordChanges
{
    public const string Altered = "Altered";
    public const string Deleted = "Deleted";
    public const string Inserted = "Inserted";
    public const string Reordered = "Reordered";
}

/// <summary>One covered record that differs from what its chain attested: which, where it was attested, and how.</summary>
public sealed record RecordViolation(string Kind, string KindName, string RecordId, long? Sequence, string Change, string Message);

public sealed record RecordCount(string Kind, string Name, int Rows);

/// <summary>The covered records of a chain against their attested digests.</summary>
/// <param name="Legacy">Records written before the chain attested any (journals begun before this check existed): not checked.</param>
public sealed record RecordsVerification(int Attested, IReadOnlyList<RecordCount> Kinds, int Legacy, IReadOnlyList<RecordViolation> Violations)
{
    public bool Passed => Violations.Count == 0;

    public string Summary => Passed
        ? $"相关记录 {Kinds.Sum(k => k.Rows)} 条（{string.Join("、", Kinds.Where(k => k.Rows > 0).Select(k => $"{k.Name} {k.Rows} 条").DefaultIfEmpty("无"))}）与日志登记的摘要一致"
          + (Legacy > 0 ? $"；{Legacy} 条写于启用登记之前，未纳入比对" : "")
        : $"相关记录有 {Violations.Count} 处与日志登记不符";
}

/// <summary>
/// Compares covered records with the digests their chain attested: the latest attestation of each record must match
/// its row (a deleted one's is <c>-</c>); a row no entry attests was inserted behind the platform's back, unless it
/// predates the chain's first attesting entry; a row whose digest matches with another row's order fields was moved.
/// </summary>
public sealed class RecordCoverage(CoveredRecords covered)
{
    /// <summary>One attested digest: the entry (sequence) that carried it and that entry's hash algorithm.</summary>
    internal readonly record struct Attestation(long Sequence, string Algorithm, string Digest);

    internal static Dictionary<(string Kind, string Id), Attestation> Attested(IEnumerable<(long Sequence, string Algorithm, string? Records)> entries)
    {
        var latest = new Dictionary<(string, string), Attestation>();
        foreach (var (sequence, algorithm, records) in entries)
        foreach (var item in RecordDigests.Parse(records))
            latest[(item.Kind, item.Id)] = new Attestation(sequence, algorithm, item.Digest);
        return latest;
    }

    /// <param name="kinds">The kinds the chain covers, with their rows now.</param>
    /// <param name="legacyBefore">When the chain began attesting, if it did not from its first entry; null: every row must be attested.</param>
    internal RecordsVerification Verify(IReadOnlyDictionary<RecordKind, List<object>> kinds, Dictionary<(string Kind, string Id), Attestation> attested,
        DateTime? legacyBefore)
    {
        var violations = new List<RecordViolation>();
        var legacy = 0;
        foreach (var (kind, rows) in kinds)
        {
            var byId = rows.ToDictionary(kind.IdOf, StringComparer.Ordinal);
            var mismatched = new List<(object Row, Attestation At)>();
            foreach (var ((code, id), at) in attested.Where(a => a.Key.Kind == kind.Code))
            {
                var exists = byId.TryGetValue(id, out var row);
                if (at.Digest == RecordDigests.Deleted)
                {
                    if (exists)
                        violations.Add(new RecordViolation(code, kind.DisplayName, id, at.Sequence, RecordChanges.Inserted,
                            $"{kind.DisplayName} {Short(id)}（{kind.Describe(row!)}）已于第 {at.Sequence} 条登记删除，现又出现：为事后插入"));
                }
                else if (!exists)
                {
                    violations.Add(new RecordViolation(code, kind.DisplayName, id, at.Sequence, RecordChanges.Deleted,
                        $"{kind.DisplayName} {Short(id)}（第 {at.Sequence} 条登记）已被删除"));
                }
                else if (kind.Digest(at.Algorithm, row!) != at.Digest)
                {
                    mismatched.Add((row!, at));
                }
            }

            foreach (var (row, at) in mismatched)
            {
                var id = kind.IdOf(row);
                var swappedWith = kind.HasOrder
                    ? mismatched.Select(m => m.Row).Concat(rows).FirstOrDefault(other => !ReferenceEquals(other, row) && kind.Digest(at.Algorithm, row, other) == at.Digest)
                    : null;
                violations.Add(swappedWith is not null
                    ? new RecordViolation(kind.Code, kind.DisplayName, id, at.Sequence, RecordChanges.Reordered,
                        $"{kind.DisplayName} {Short(id)}（{kind.Describe(row)}）的时间和顺序被改动：内容与第 {at.Sequence} 条登记的一致，但排在了 {Short(kind.IdOf(swappedWith))} 原来的位置（顺序被调换）")
                    : new RecordViolation(kind.Code, kind.DisplayName, id, at.Sequence, RecordChanges.Altered,
                        $"{kind.DisplayName} {Short(id)}（现为：{kind.Describe(row)}）在第 {at.Sequence} 条登记之后被修改"));
            }

            foreach (var (id, row) in byId.Where(r => !attested.ContainsKey((kind.Code, r.Key))))
            {
                if (legacyBefore is { } cutoff && kind.WrittenAt(row) <= cutoff)
                {
                    legacy++;
                    continue;
                }

                violations.Add(new RecordViolation(kind.Code, kind.DisplayName, id, null, RecordChanges.Inserted,
                    $"{kind.DisplayName} {Short(id)}（{kind.Describe(row)}）不在日志登记中：为事后插入"));
            }
        }

        return new RecordsVerification(attested.Count(a => a.Value.Digest != RecordDigests.Deleted),
            kinds.Select(k => new RecordCount(k.Key.Code, k.Key.DisplayName, k.Value.Count)).ToList(), legacy, violations);
    }

    /// <summary>The covered rows of an instance, per kind.</summary>
    internal async Task<Dictionary<RecordKind, List<object>>> RowsOfInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<RecordKind, List<object>>();
        foreach (var kind in covered.All.Where(k => k.GlobalStream is null).OrderBy(k => k.Code, StringComparer.Ordinal))
            rows[kind] = await kind.LoadAsync(db, instanceId, cancellationToken);
        return rows;
    }

    /// <summary>The covered rows of a global stream, per kind.</summary>
    internal async Task<Dictionary<RecordKind, List<object>>> RowsOfStreamAsync(WorkflowDbContext db, string stream, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<RecordKind, List<object>>();
        foreach (var kind in covered.All.Where(k => k.GlobalStream == stream).OrderBy(k => k.Code, StringComparer.Ordinal))
            rows[kind] = await kind.LoadAsync(db, null, cancellationToken);
        return rows;
    }

    private static string Short(string id) => id.Length > 8 ? id[..8] : id;
}
