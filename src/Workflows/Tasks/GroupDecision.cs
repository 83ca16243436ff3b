namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// Decides a human step from the votes of its tasks. Earlier signers (前加签) only give opinions; later signers
/// (后加签) must approve too; the primaries decide by the step's mode: single, all (会签), any (或签) or ratio (票签).
/// </summary>
internal static class GroupDecision
{
    /// <summary>Approve, Reject, or null while the step is still open.</summary>
    public static string? Decide(IReadOnlyList<TaskRecord> group)
    {
        var decisive = group.Where(t => t.SignerKind != SignerKinds.Before && t.Status != TaskStatuses.Cancelled).ToList();
        if (decisive.Any(t => t.SignerKind == SignerKinds.After && t.Vote == Votes.Reject)) return Votes.Reject;

        var primaries = decisive.Where(t => t.SignerKind == SignerKinds.Primary).ToList();
        if (primaries.Count == 0) return null;
        var approvals = primaries.Count(t => t.Vote == Votes.Approve);
        var rejections = primaries.Count(t => t.Vote == Votes.Reject);
        var mode = primaries[0].ApprovalMode;
        string? primaryDecision = mode switch
        {
            ApprovalModes.All => rejections > 0 ? Votes.Reject : approvals == primaries.Count ? Votes.Approve : null,
            ApprovalModes.Ratio => Ratio(primaries.Count, approvals, rejections, primaries[0].ApprovalRatio ?? 0.5),
            _ => primaries.Where(t => t.Vote is Votes.Approve or Votes.Reject).OrderBy(t => t.CompletedAt).Select(t => t.Vote).FirstOrDefault(),
        };

        if (primaryDecision != Votes.Approve) return primaryDecision;
        var laterSigners = decisive.Where(t => t.SignerKind == SignerKinds.After).ToList();
        return laterSigners.All(t => t.Vote == Votes.Approve) ? Votes.Approve : null;
    }

    /// <summary>票签: approved once enough approvals are in; rejected once enough approvals can no longer come.</summary>
    private static string? Ratio(int total, int approvals, int rejections, double ratio)
    {
        var needed = (int)Math.Ceiling(ratio * total - 1e-9);
        if (approvals >= needed) return Votes.Approve;
        return total - rejections < needed ? Votes.Reject : null;
    }
}
