using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// One person's (or one pool's) share of a human step. The tasks of one step execution form a group.
/// Its state (status, holder, delegation, decision, reminders, extension request) changes only through the methods
/// below, as <c>CatalogVersion</c>'s does; each checks the state it starts from and throws on an illegal move, which is
/// a bug in its caller: a command first asks the refusals (<see cref="DecisionRefusalAsync"/> and its siblings), which
/// the API's list of available actions reads too, and turns a refusal into a problem.
/// <code>
/// Open ── Claim, Release, TransferTo, DelegateTo → Pending delegation ── ResolveDelegation ──→ Open
/// Open ── WaitForSigners (前加签) → Waiting ── Activate ──→ Open
/// Pending (后加签, not yet due) ── Activate ──→ Open
/// Open ── Complete (approve, reject, an opinion, a return) ──→ Completed
/// Open, Waiting, Pending ── Cancel ──→ Cancelled
/// </code>
/// </summary>
public sealed class TaskRecord
{
    private string _status = TaskStatuses.Open;

    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid BookmarkId { get; set; }
    public required string ActivityId { get; set; }
    public Guid ActivityExecutionId { get; set; }
    public required string DefinitionId { get; set; }
    public string? ProcessName { get; set; }
    public required string Title { get; set; }
    /// <summary>Set when the task is created (Open, or Pending for a later signer); then only by the transitions.</summary>
    public required string Status { get => _status; init => _status = value; }

    public required string SignerKind { get; set; }
    public Guid? AnchorTaskId { get; set; }

    /// <summary>single, all (会签), any (或签) or ratio (票签).</summary>
    public required string ApprovalMode { get; set; }

    public double? ApprovalRatio { get; set; }
    public string? AssigneeId { get; set; }

    /// <summary>Who delegated the task (委派) and gets it back when the delegate resolves it.</summary>
    public string? OwnerId { get; private set; }

    /// <summary><see cref="DelegationStates"/>: null until the task is delegated.</summary>
    public string? DelegationState { get; private set; }

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
    public string? Vote { get; private set; }
    public string? Outcome { get; private set; }
    public string? Comment { get; private set; }
    public string? CompletedBy { get; private set; }
    public DateTime? CompletedAt { get; private set; }
    public string? FormId { get; set; }
    public string? FieldPermissionsJson { get; set; }

    /// <summary>Ports the step offers besides approve and reject (e.g. Return), as a JSON list.</summary>
    public string? ReturnTargetsJson { get; set; }

    public DateTime? DueAt { get; set; }
    public DateTime? YellowAt { get; set; }
    public string? ClockJson { get; set; }

    /// <summary>Years without a State Council notice the due date was counted with ("2027"), or null: found again when a notice arrives.</summary>
    public string? ProvisionalYears { get; set; }

    public bool ExtensionPending { get; private set; }
    public string? AssignmentNote { get; set; }
    public int UrgeCount { get; private set; }
    public DateTime? LastUrgedAt { get; private set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClaimedAt { get; private set; }
    public int Revision { get; set; }

    public bool IsOpen => _status == TaskStatuses.Open;

    /// <summary>委派 and not yet handed back: the delegate holds it, the decision stays with <see cref="OwnerId"/>.</summary>
    public bool IsDelegated => DelegationState == DelegationStates.Pending;

    // Who may do what. The commands check these before they move the task; the API lists the actions they allow.
    // Whether the actor is a candidate costs a query, so it is asked only when the answer depends on it.

    /// <summary>
    /// Why <paramref name="actor"/> may not decide the task now (approve, reject, return, transfer, delegate, add signers,
    /// ask for an extension, edit its form), or null: its assignee may, and so may a candidate of an unclaimed pool task,
    /// who claims it by acting.
    /// </summary>
    public async ValueTask<WorkflowError?> DecisionRefusalAsync(string actor, Func<ValueTask<bool>> isCandidate)
    {
        ArgumentNullException.ThrowIfNull(isCandidate);
        if (!IsOpen) return TaskErrors.NotOpen(this);
        if (IsDelegated) return AssigneeId == actor || OwnerId == actor ? TaskErrors.Delegated(this, actor) : TaskErrors.NotCandidate(actor);
        if (AssigneeId == actor) return null;
        if (AssigneeId is not null) return await isCandidate() ? TaskErrors.ClaimedByOther(this) : TaskErrors.NotCandidate(actor);
        return await isCandidate() ? null : TaskErrors.NotCandidate(actor);
    }

    /// <summary>Why <paramref name="actor"/> may not claim the task (认领), or null: a candidate of an open pool task may, and its assignee already has.</summary>
    public async ValueTask<WorkflowError?> ClaimRefusalAsync(string actor, Func<ValueTask<bool>> isCandidate)
    {
        ArgumentNullException.ThrowIfNull(isCandidate);
        if (!IsOpen) return TaskErrors.NotOpen(this);
        if (AssigneeId == actor) return null;
        if (AssigneeId is not null) return TaskErrors.ClaimedByOther(this);
        return await isCandidate() ? null : TaskErrors.NotCandidate(actor);
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not give the task back to its pool (退回待认领), or null: the assignee who claimed it
    /// may, while others share the pool; a delegate may not (the task goes back to who delegated it).
    /// </summary>
    public WorkflowError? ReleaseRefusal(string actor, IReadOnlyCollection<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (!IsOpen) return TaskErrors.NotOpen(this);
        if (IsDelegated && AssigneeId == actor) return TaskErrors.Delegated(this, actor);
        if (AssigneeId != actor || !candidates.Contains(actor)) return TaskErrors.NotCandidate(actor);
        return candidates.Count < 2 ? TaskErrors.Conflict("not_a_pool_task", "该待办只有您一位办理人，不能退回待认领。") : null;
    }

    /// <summary>Why <paramref name="actor"/> may not hand a delegated task back (办理完成), or null: its delegate may.</summary>
    public WorkflowError? ResolveRefusal(string actor) =>
        !IsOpen ? TaskErrors.NotOpen(this)
        : !IsDelegated || AssigneeId != actor ? TaskErrors.Conflict("not_delegated_to_you", "该待办没有委派给您，无需交回。")
        : null;

    // Transitions.

    /// <summary>认领: an open pool task gets its assignee.</summary>
    internal void Claim(string user, DateTime at)
    {
        Require(IsOpen && AssigneeId is null, "claim");
        AssigneeId = user;
        ClaimedAt = at;
    }

    /// <summary>退回待认领: the assignee gives an open pool task back to its candidates.</summary>
    internal void Release()
    {
        Require(IsOpen && AssigneeId is not null && !IsDelegated, "release");
        AssigneeId = null;
        ClaimedAt = null;
    }

    /// <summary>转办: another person holds the open task from now on.</summary>
    internal void TransferTo(string user)
    {
        Require(IsOpen && !IsDelegated, "transfer");
        AssigneeId = user;
    }

    /// <summary>委派: <paramref name="user"/> handles the open task and hands it back to <paramref name="owner"/>, who decides.</summary>
    internal void DelegateTo(string owner, string user)
    {
        Require(IsOpen && !IsDelegated, "delegate");
        OwnerId = owner;
        AssigneeId = user;
        DelegationState = DelegationStates.Pending;
    }

    /// <summary>办理完成: the delegate hands the task back to its owner.</summary>
    internal void ResolveDelegation()
    {
        Require(IsOpen && IsDelegated && OwnerId is not null, "resolve the delegation of");
        AssigneeId = OwnerId;
        DelegationState = DelegationStates.Resolved;
    }

    /// <summary>前加签: the open task waits while an earlier signer gives an opinion.</summary>
    internal void WaitForSigners()
    {
        Require(IsOpen, "wait with");
        _status = TaskStatuses.Waiting;
    }

    /// <summary>A waiting task's earlier signers are done, or a later signer's turn has come: the task is open.</summary>
    internal void Activate()
    {
        Require(_status is TaskStatuses.Waiting or TaskStatuses.Pending, "activate");
        _status = TaskStatuses.Open;
    }

    /// <summary>
    /// Decides the open task: approved or rejected (<paramref name="vote"/> <see cref="Votes"/>, an opinion for an earlier
    /// signer), or returned (no vote).
    /// </summary>
    internal void Complete(string? vote, string outcome, string? comment, string by, DateTime at)
    {
        Require(IsOpen, "complete");
        _status = TaskStatuses.Completed;
        Vote = vote;
        Outcome = outcome;
        Comment = comment;
        CompletedBy = by;
        CompletedAt = at;
    }

    /// <summary>The task will not be decided: its step was decided otherwise, returned, cancelled, or its signer removed.</summary>
    internal void Cancel(DateTime at)
    {
        Require(TaskStatuses.IsActive(_status), "cancel");
        _status = TaskStatuses.Cancelled;
        CompletedAt = at;
    }

    /// <summary>催办: the applicant reminded the holders of the open task.</summary>
    internal void Urge(DateTime at)
    {
        Require(IsOpen, "urge");
        UrgeCount++;
        LastUrgedAt = at;
    }

    /// <summary>延期: a holder asked for more working days; the request waits for its approvers.</summary>
    internal void RequestExtension()
    {
        Require(IsOpen, "request an extension of");
        ExtensionPending = true;
    }

    /// <summary>The extension request was approved or rejected (the step's legal clock says whether one was pending).</summary>
    internal void ExtensionDecided() => ExtensionPending = false;

    private void Require(bool allowed, string move)
    {
        if (!allowed)
            throw new InvalidOperationException($"Cannot {move} task {Id} (status {_status}, assignee {AssigneeId ?? "none"}, delegation {DelegationState ?? "none"}).");
    }
}
