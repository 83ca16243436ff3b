using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// The approval actions on human tasks, in one place for the API and the tests. Each lives in its command class
/// (src/Workflows/Tasks/Commands/): who holds a task (<see cref="TaskAssignments"/>), decisions, returns and withdrawal,
/// signers, copies, reminders and comments, extension requests; their shared plumbing (one transaction under the instance
/// lock, the audit row and journal entry of every change) is <see cref="TaskCommands"/>, and the task's state changes only
/// through <see cref="TaskRecord"/>'s own transitions.
/// </summary>
public sealed class TaskService
{
    /// <inheritdoc cref="TaskCommands.MaxComment"/>
    public const int MaxComment = TaskCommands.MaxComment;

    private readonly TaskAssignments _assignments;
    private readonly TaskDecisions _decisions;
    private readonly TaskReturns _returns;
    private readonly TaskSigners _signers;
    private readonly TaskFollowUps _followUps;
    private readonly TaskExtensionRequests _extensions;

    public TaskService(TaskCommands commands, AssignmentResolver resolver, IServiceProvider services)
    {
        _assignments = new TaskAssignments(commands);
        _decisions = new TaskDecisions(commands, new TaskForms(services));
        _returns = new TaskReturns(commands);
        _signers = new TaskSigners(commands);
        _followUps = new TaskFollowUps(commands);
        _extensions = new TaskExtensionRequests(commands, resolver);
    }

    public Task<WorkflowResult<TaskView>> ClaimAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        _assignments.ClaimAsync(taskId, actor, cancellationToken);

    public Task<WorkflowResult<TaskView>> ReleaseAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        _assignments.ReleaseAsync(taskId, actor, cancellationToken);

    /// <inheritdoc cref="TaskAssignments.TransferAsync"/>
    public Task<WorkflowResult<TaskView>> TransferAsync(Guid taskId, string actor, string toUser, string? comment, CancellationToken cancellationToken = default) =>
        _assignments.TransferAsync(taskId, actor, toUser, comment, cancellationToken);

    /// <inheritdoc cref="TaskAssignments.DelegateAsync"/>
    public Task<WorkflowResult<TaskView>> DelegateAsync(Guid taskId, string actor, string toUser, string? comment, CancellationToken cancellationToken = default) =>
        _assignments.DelegateAsync(taskId, actor, toUser, comment, cancellationToken);

    /// <inheritdoc cref="TaskAssignments.ResolveAsync"/>
    public Task<WorkflowResult<TaskView>> ResolveAsync(Guid taskId, string actor, string? comment, CancellationToken cancellationToken = default) =>
        _assignments.ResolveAsync(taskId, actor, comment, cancellationToken);

    /// <inheritdoc cref="TaskDecisions.ApproveAsync"/>
    public Task<WorkflowResult<TaskView>> ApproveAsync(Guid taskId, string actor, string? comment, JsonObject? form = null,
        CancellationToken cancellationToken = default) =>
        _decisions.ApproveAsync(taskId, actor, comment, form, cancellationToken);

    /// <inheritdoc cref="TaskDecisions.RejectAsync"/>
    public Task<WorkflowResult<TaskView>> RejectAsync(Guid taskId, string actor, string? reason, JsonObject? form = null,
        CancellationToken cancellationToken = default) =>
        _decisions.RejectAsync(taskId, actor, reason, form, cancellationToken);

    /// <inheritdoc cref="TaskDecisions.SaveFormAsync"/>
    public Task<WorkflowResult<TaskView>> SaveFormAsync(Guid taskId, string actor, JsonObject form, CancellationToken cancellationToken = default) =>
        _decisions.SaveFormAsync(taskId, actor, form, cancellationToken);

    /// <inheritdoc cref="TaskDecisions.BulkApproveAsync"/>
    public Task<IReadOnlyList<BulkItemResult>> BulkApproveAsync(IReadOnlyList<Guid> taskIds, string actor, string? comment,
        CancellationToken cancellationToken = default) =>
        _decisions.BulkApproveAsync(taskIds, actor, comment, cancellationToken);

    /// <inheritdoc cref="TaskForms.Invalid"/>
    public static WorkflowError FormInvalid(FormSubmissionResult check, string? activityId) => TaskForms.Invalid(check, activityId);

    /// <inheritdoc cref="TaskReturns.ReturnTargetsAsync"/>
    public Task<WorkflowResult<IReadOnlyList<ReturnTarget>>> ReturnTargetsAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        _returns.ReturnTargetsAsync(taskId, actor, cancellationToken);

    /// <inheritdoc cref="TaskReturns.PreviewReturnAsync"/>
    public Task<WorkflowResult<ReturnPreview>> PreviewReturnAsync(Guid taskId, string actor, string targetActivityId, CancellationToken cancellationToken = default) =>
        _returns.PreviewReturnAsync(taskId, actor, targetActivityId, cancellationToken);

    /// <inheritdoc cref="TaskReturns.ReturnAsync"/>
    public Task<WorkflowResult<ReturnPreview>> ReturnAsync(Guid taskId, string actor, string targetActivityId, string? reason,
        CancellationToken cancellationToken = default) =>
        _returns.ReturnAsync(taskId, actor, targetActivityId, reason, cancellationToken);

    /// <inheritdoc cref="TaskReturns.WithdrawAsync"/>
    public Task<WorkflowResult<RunResult>> WithdrawAsync(Guid instanceId, string actor, string? reason, CancellationToken cancellationToken = default) =>
        _returns.WithdrawAsync(instanceId, actor, reason, cancellationToken);

    /// <inheritdoc cref="TaskSigners"/>
    public Task<WorkflowResult<TaskView>> AddSignerAsync(Guid taskId, string actor, string signer, string position, string? comment,
        CancellationToken cancellationToken = default) =>
        _signers.AddSignerAsync(taskId, actor, signer, position, comment, cancellationToken);

    /// <inheritdoc cref="TaskSigners.RemoveSignerAsync"/>
    public Task<WorkflowResult<TaskView>> RemoveSignerAsync(Guid taskId, string actor, Guid signerTaskId, string? comment,
        CancellationToken cancellationToken = default) =>
        _signers.RemoveSignerAsync(taskId, actor, signerTaskId, comment, cancellationToken);

    /// <inheritdoc cref="TaskFollowUps.CopyAsync"/>
    public Task<WorkflowResult<TaskView>> CopyAsync(Guid taskId, string actor, IReadOnlyList<string> users, string? note, CancellationToken cancellationToken = default) =>
        _followUps.CopyAsync(taskId, actor, users, note, cancellationToken);

    public Task<WorkflowResult<bool>> MarkCopyReadAsync(Guid copyId, string actor, CancellationToken cancellationToken = default) =>
        _followUps.MarkCopyReadAsync(copyId, actor, cancellationToken);

    /// <inheritdoc cref="TaskFollowUps.UrgeAsync"/>
    public Task<WorkflowResult<int>> UrgeAsync(Guid instanceId, string actor, string? comment, CancellationToken cancellationToken = default) =>
        _followUps.UrgeAsync(instanceId, actor, comment, cancellationToken);

    public Task<WorkflowResult<TaskView>> CommentAsync(Guid taskId, string actor, string comment, CancellationToken cancellationToken = default) =>
        _followUps.CommentAsync(taskId, actor, comment, cancellationToken);

    /// <summary>延期: a holder asks for more working days; a configured role decides (<see cref="DecideExtensionAsync"/>).</summary>
    public Task<WorkflowResult<TaskView>> RequestExtensionAsync(Guid taskId, string actor, int workingDays, string? reason,
        CancellationToken cancellationToken = default) =>
        _extensions.RequestAsync(taskId, actor, workingDays, reason, cancellationToken);

    public Task<WorkflowResult<TaskView>> DecideExtensionAsync(Guid taskId, string actor, bool approve, string? reason,
        CancellationToken cancellationToken = default) =>
        _extensions.DecideAsync(taskId, actor, approve, reason, cancellationToken);

    /// <inheritdoc cref="TaskExtensionRequests.DecidesAsync"/>
    public Task<bool> DecidesExtensionAsync(TaskRecord task, string user, CancellationToken cancellationToken = default) =>
        _extensions.DecidesAsync(task, user, cancellationToken);
}
