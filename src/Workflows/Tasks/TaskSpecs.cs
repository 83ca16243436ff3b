using PdsWorkflow.Workflows.Deadlines;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>Who a human step goes to, as a definition writes it in the step's <c>assignment</c> input.</summary>
/// <param name="Kind"><c>role</c>, <c>users</c>, <c>formField</c> (a user id in the case's form) or <c>initiator</c>.</param>
/// <param name="Scope">
/// For roles: the name of a registered <see cref="IAssignmentScope"/>: <c>applicant</c> (the applicant's unit),
/// <c>orgUnit</c> (the unit named in <see cref="OrgUnit"/>, literally), those a module adds (the platform's in
/// src/Activities/DataSharing), or none (anywhere).
/// </param>
public sealed record AssignmentSpec(string Kind)
{
    public string? Role { get; init; }
    public string? Scope { get; init; }
    public string? OrgUnit { get; init; }
    public IReadOnlyList<string>? Users { get; init; }
    public string? Field { get; init; }

    /// <summary>Where the step goes when nobody matches; by default <see cref="AssignmentOptions.Fallback"/>.</summary>
    public AssignmentSpec? Fallback { get; init; }
}

/// <summary>A human step's service level: its legal clock, reminders and escalation.</summary>
public sealed record SlaSpec(int WorkingDays)
{
    public int YellowWhenRemaining { get; init; } = 1;

    /// <summary>What a resubmission after correction does to this step's clock; the statute's default is Restart.</summary>
    public CorrectionRule CorrectionRule { get; init; } = CorrectionRule.Restart;

    /// <summary>Remind the holders when the step turns yellow.</summary>
    public bool Remind { get; init; } = true;

    public EscalationSpec? Escalation { get; init; }

    /// <summary>Who may approve an extension (延期) of this step; by default <see cref="AssignmentOptions.Fallback"/>.</summary>
    public AssignmentSpec? ExtensionApprovers { get; init; }
}

/// <summary>On breach: whom to notify, and optionally the outcome the step then takes by itself.</summary>
public sealed record EscalationSpec(AssignmentSpec NotifyTo)
{
    /// <summary>When set, the overdue step completes with the <c>Escalated</c> outcome.</summary>
    public bool TakeEscalationOutcome { get; init; }
}

public static class ApprovalModes
{
    public const string Single = "single";

    /// <summary>会签: everyone must approve; one rejection rejects.</summary>
    public const string All = "all";

    /// <summary>或签: the first decision decides.</summary>
    public const string Any = "any";

    /// <summary>票签: approved when the share of approvals reaches the ratio.</summary>
    public const string Ratio = "ratio";
}
