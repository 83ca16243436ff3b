using PdsWorkflow.Workflows.Deadlines;

namespace PdsWorkflow.Workflows.Tasks;

public sealed record TaskView(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    string DefinitionId,
    string? ProcessName,
    string Title,
    string Status,
    string SignerKind,
    string ApprovalMode,
    string? AssigneeId,
    string? OwnerId,
    string? DelegationState,
    string? OrgUnitId,
    string? InitiatorId,
    string? Vote,
    string? Outcome,
    string? Comment,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? YellowAt,
    WarningLevel? Level,
    bool ExtensionPending,
    string? AssignmentNote,
    int UrgeCount,
    DateTimeOffset CreatedAt)
{
    /// <summary>The case's 业务编号; null while it is a draft.</summary>
    public string? BusinessNumber { get; init; }

    public string? ApplicantOrgUnitId { get; init; }
    public string? ApplicantOrgUnitName { get; init; }

    /// <summary>What the case is about (resource, interface, account).</summary>
    public string? Summary { get; init; }

    /// <summary>The applicant's own step of a case not yet submitted (a draft), as opposed to a correction.</summary>
    public bool IsDraft { get; init; }

    public static TaskView From(TaskRecord t, DateTimeOffset now) => new(t.Id, t.InstanceId, t.ActivityId, t.DefinitionId, t.ProcessName, t.Title,
        t.Status, t.SignerKind, t.ApprovalMode, t.AssigneeId, t.OwnerId, t.DelegationState, t.OrgUnitId, t.InitiatorId, t.Vote, t.Outcome, t.Comment,
        t.CompletedBy, Utc(t.CompletedAt), Utc(t.DueAt), Utc(t.YellowAt), LevelOf(t, now), t.ExtensionPending, t.AssignmentNote, t.UrgeCount,
        Utc(t.CreatedAt)!.Value)
    {
        BusinessNumber = t.BusinessNumber, ApplicantOrgUnitId = t.ApplicantOrgUnitId, ApplicantOrgUnitName = t.ApplicantOrgUnitName, Summary = t.Summary,
        // A case gets its number when it is submitted: an open applicant step without one is the draft, a later one the correction.
        IsDraft = t.BusinessNumber is null && t.InitiatorId is not null && t.AssigneeId == t.InitiatorId && t.Status == TaskStatuses.Open,
    };

    /// <summary>The inbox colour: computed from the stored due and yellow instants, so a list needs no clock per row.</summary>
    public static WarningLevel? LevelOf(TaskRecord t, DateTimeOffset now)
    {
        if (t.DueAt is not { } due) return null;
        if (!TaskStatuses.IsActive(t.Status)) return WarningLevel.Stopped;
        if (now.UtcDateTime > due) return WarningLevel.Red;
        return t.YellowAt is { } yellow && now.UtcDateTime >= yellow ? WarningLevel.Yellow : WarningLevel.Normal;
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

/// <summary>What a return would do, shown before it is confirmed.</summary>
public sealed record ReturnPreview(
    string TargetActivityId,
    string TargetName,
    bool IsCorrection,
    IReadOnlyList<TaskView> CancelledTasks,
    IReadOnlyList<string> CancelledWaits);

public sealed record ReturnTarget(string ActivityId, string Name, bool IsApplicantStep);

/// <summary>The outcome of one task in a bulk command.</summary>
public sealed record BulkItemResult(Guid TaskId, bool Succeeded, string? Code, string? Detail);
