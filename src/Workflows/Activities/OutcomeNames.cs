namespace PdsWorkflow.Workflows.Activities;

/// <summary>
/// What users read for an outcome (port): the designer's port labels, the auditor's diagram and the validator's messages.
/// Definitions keep the English names (they are recorded in journals); a Switch's own cases carry their display name.
/// </summary>
public static class OutcomeNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [Activity.Done] = "完成",
        ["Approve"] = "同意",
        ["Reject"] = "不同意",
        ["Escalated"] = "超期升级",
        ["True"] = "是",
        ["False"] = "否",
        ["Default"] = "其他情况",
        ["Cancelled"] = "已取消",
        ["Refused"] = "未通过",
        ["Failed"] = "失败",
    };

    /// <summary>The Chinese name of a well-known outcome, else the outcome as written.</summary>
    public static string Of(string outcome) => Names.GetValueOrDefault(outcome, outcome);

    /// <summary>The Chinese names of the given outcomes that have one.</summary>
    public static IReadOnlyDictionary<string, string> For(IEnumerable<string> outcomes) =>
        outcomes.Where(Names.ContainsKey).Distinct().ToDictionary(o => o, o => Names[o], StringComparer.Ordinal);
}
