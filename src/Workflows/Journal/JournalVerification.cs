namespace PdsWorkflow.Workflows.Journal;

public static class JournalViolationKinds
{
    public const string Altered = "Altered";
    public const string Missing = "Missing";
    public const string Reordered = "Reordered";
    public const string Inserted = "Inserted";
}

/// <summary>One place where the stored journal differs from what was written.</summary>
public sealed record JournalViolation(long Sequence, string Kind, string Message);

public sealed record JournalVerification(Guid InstanceId, long EntryCount, IReadOnlyList<JournalViolation> Violations)
{
    public bool IsIntact => Violations.Count == 0;

    public string Verdict => IsIntact
        ? $"日志完整：共 {EntryCount} 条，哈希链校验通过。"
        : $"日志被改动：{string.Join("；", Violations.Select(v => v.Message))}。";
}
