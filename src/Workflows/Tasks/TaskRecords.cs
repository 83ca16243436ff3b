namespace PdsWorkflow.Workflows.Tasks;

public static class TaskStatuses
{
    /// <summary>A later signer (后加签) not yet due: becomes Open when the task it follows is approved.</summary>
    public const string Pending = "Pending";

    public const string Open = "Open";

    /// <summary>Blocked by an earlier signer (前加签) until that signer has given an opinion.</summary>
    public const string Waiting = "Waiting";

    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";

    public static bool IsActive(string status) => status is Open or Waiting or Pending;
}

public static class SignerKinds
{
    public const string Primary = "Primary";
    public const string Before = "Before";
    public const string After = "After";
}

public static class Votes
{
    public const string Approve = "Approve";
    public const string Reject = "Reject";

    /// <summary>An earlier signer's opinion that does not decide the step.</summary>
    public const string Opinion = "Opinion";
}

/// <summary>One person's (or one pool's) share of a human step. The tasks of one step execution form a group.</summary>
public sealed class TaskRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid BookmarkId { get; set; }
    public required string ActivityId { get; set; }
    public Guid ActivityExecutionId { get; set; }
    public required string DefinitionId { get; set; }
    public string? ProcessName { get; set; }
    public required string Title { get; set; }
    public required string Status { get; set; }
    public required string SignerKind { get; set; }
    public Guid? AnchorTaskId { get; set; }

    /// <summary>single, all (会签), any (或签) or ratio (票签).</summary>
    public required string ApprovalMode { get; set; }

    public double? ApprovalRatio { get; set; }
    public string? AssigneeId { get; set; }

    /// <summary>Who delegated the task (委派) and gets it back when the delegate resolves it.</summary>
    public string? OwnerId { get; set; }

    public string? DelegationState { get; set; }

    /// <summary>The unit the task acts for: only its people (and the bureau's) may see or act on it.</summary>
    public string? OrgUnitId { get; set; }

    public string? InitiatorId { get; set; }
    public string? ApplicantOrgUnitId { get; set; }

    // Copies of the case's labels, so that the inbox lists, searches and filters them from the task row alone (M050).

    /// <summary>The case's 业务编号 (null while the case is a draft).</summary>
    public string? BusinessNumber { get; set; }

    public string? ApplicantOrgUnitName { get; set; }

    /// <summary>The case's one-line summary when the task was created or the form last changed.</summary>
    public string? Summary { get; set; }
    public string? Vote { get; set; }
    public string? Outcome { get; set; }
    public string? Comment { get; set; }
    public string? CompletedBy { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? FormId { get; set; }
    public string? FieldPermissionsJson { get; set; }

    /// <summary>Ports the step offers besides approve and reject (e.g. Return), as a JSON list.</summary>
    public string? ReturnTargetsJson { get; set; }

    public DateTime? DueAt { get; set; }
    public DateTime? YellowAt { get; set; }
    public string? ClockJson { get; set; }

    /// <summary>Years without a State Council notice the due date was counted with ("2027"), or null: found again when a notice arrives.</summary>
    public string? ProvisionalYears { get; set; }

    public bool ExtensionPending { get; set; }
    public string? AssignmentNote { get; set; }
    public int UrgeCount { get; set; }
    public DateTime? LastUrgedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public int Revision { get; set; }
}

public sealed class TaskCandidateRecord
{
    public Guid TaskId { get; set; }
    public required string UserId { get; set; }
}

/// <summary>The audit of every command on a task: who, when, why, and the task before and after.</summary>
public sealed class TaskActionRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid? TaskId { get; set; }
    public required string Action { get; set; }
    public required string Actor { get; set; }
    public DateTime At { get; set; }

    /// <summary>Orders actions recorded at the same instant (several in one command): a process-wide counter.</summary>
    public long Sequence { get; set; }

    public string? Comment { get; set; }
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
}

/// <summary>抄送: a case copied to a user, with read state.</summary>
public sealed class CarbonCopyRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid? TaskId { get; set; }
    public required string UserId { get; set; }
    public required string CopiedBy { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>A stored file; the bytes live in the attachment store under their SHA-256.</summary>
public sealed class AttachmentRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid? TaskId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAt { get; set; }
}

/// <summary>常用语: one of a user's common phrases for opinions, in the user's order.</summary>
public sealed class UserPhraseRecord
{
    public required string UserId { get; set; }
    public int Position { get; set; }
    public required string Text { get; set; }
}
