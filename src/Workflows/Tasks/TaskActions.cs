namespace PdsWorkflow.Workflows.Tasks;

/// <summary>The audited commands on tasks (the <c>Action</c> of a task action row).</summary>
public static class TaskActions
{
    public const string Created = "created";
    public const string Claim = "claim";
    public const string Release = "release";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Return = "return";
    public const string Withdraw = "withdraw";
    public const string Transfer = "transfer";
    public const string Delegate = "delegate";
    public const string Resolve = "resolve";
    public const string AddSigner = "add-signer";
    public const string RemoveSigner = "remove-signer";
    public const string Copy = "copy";
    public const string Urge = "urge";
    public const string Comment = "comment";
    public const string Cancelled = "cancelled";
    public const string Activated = "activated";
    public const string RequestExtension = "request-extension";
    public const string ApproveExtension = "approve-extension";
    public const string RejectExtension = "reject-extension";
    public const string Remind = "remind";
    public const string Overdue = "overdue";
    public const string Attach = "attach";
    public const string SaveForm = "save-form";

    /// <summary>Journal only (no audit row): the variables the platform derived from its records when the applicant's form was saved.</summary>
    public const string RecordFacts = "record-facts";

    /// <summary>Actions that do not count as someone having acted on a step (for the applicant's withdrawal).</summary>
    public static readonly string[] Passive = [Created, Copy, Urge, Remind, Overdue, Activated];
}
