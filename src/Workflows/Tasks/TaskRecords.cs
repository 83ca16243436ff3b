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

/// <summary>委派: a delegated task is Pending with its delegate until they hand it back (Resolved).</summary>
public static class DelegationStates
{
    public const string Pending = "Pending";
    public const string Resolved = "Resolved";
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
