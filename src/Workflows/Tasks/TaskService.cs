using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// The approval actions on human tasks. Each command is one transaction: the instance is locked, the task re-read
/// under the lock, the command checked against the task's state and the actor, then the task, its audit row, a journal
/// entry and (when the step is decided) the engine's next burst are committed together. A refusal changes nothing.
/// </summary>
public sealed class TaskService(WorkflowRuntime runtime, WorkflowEngine engine, AssignmentResolver resolver,
    TimeProvider clock, IServiceProvider services)
{
    /// <summary>
    /// The longest comment or reason a task command records, in Unicode code points. The API refuses longer ones with a
    /// field error (Host <c>TextLimits.Comment</c>); other callers have theirs clipped, never split inside a character.
    /// </summary>
    public const int MaxComment = 2000;
    private static readonly TimeSpan UrgeInterval = TimeSpan.FromHours(1);

    public Task<WorkflowResult<TaskView>> ClaimAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (c.Task.Status != TaskStatuses.Open) return TaskErrors.NotOpen(c.Task);
            if (c.Task.AssigneeId == actor) return View(c.Task);
            if (c.Task.AssigneeId is not null) return TaskErrors.ClaimedByOther(c.Task);
            if (!await IsCandidateAsync(c.Db, c.Task, actor, ct)) return TaskErrors.NotCandidate(actor);
            c.Change(TaskActions.Claim, null, () =>
            {
                c.Task.AssigneeId = actor;
                c.Task.ClaimedAt = c.Now;
            });
            return View(c.Task);
        }, cancellationToken);

    public Task<WorkflowResult<TaskView>> ReleaseAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (c.Task.Status != TaskStatuses.Open) return TaskErrors.NotOpen(c.Task);
            if (c.Task.AssigneeId != actor) return TaskErrors.NotCandidate(actor);
            if (await c.Db.TaskCandidates.CountAsync(x => x.TaskId == c.Task.Id, ct) < 2)
                return TaskErrors.Conflict("not_a_pool_task", "该待办只有您一位办理人，不能退回待认领。");
            c.Change(TaskActions.Release, null, () =>
            {
                c.Task.AssigneeId = null;
                c.Task.ClaimedAt = null;
            });
            return View(c.Task);
        }, cancellationToken);

    /// <summary>同意, optionally with the step's editable form fields. A pool task is claimed by whoever decides it.</summary>
    public Task<WorkflowResult<TaskView>> ApproveAsync(Guid taskId, string actor, string? comment, JsonObject? form = null,
        CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
            // Approving checks the step's form even without new values: what the step may edit must be complete.
            await ApplyFormAsync(c, form ?? (c.Task.FormId is null ? null : []), draft: false, ct) is { } invalid
                ? invalid
                : await VoteAsync(c, Votes.Approve, comment, ct), cancellationToken);

    /// <summary>不同意: the reason is mandatory (001 第十条: a rejection must state its reason).</summary>
    public Task<WorkflowResult<TaskView>> RejectAsync(Guid taskId, string actor, string? reason, JsonObject? form = null,
        CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.ReasonRequired("不同意"))
            : CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
                await ApplyFormAsync(c, form, draft: true, ct) is { } invalid ? invalid : await VoteAsync(c, Votes.Reject, reason, ct), cancellationToken);

    /// <summary>Saves the step's editable form fields as a draft: required fields may still be empty, everything else is checked.</summary>
    public Task<WorkflowResult<TaskView>> SaveFormAsync(Guid taskId, string actor, JsonObject form, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
            return await ApplyFormAsync(c, form, draft: true, ct) is { } invalid ? invalid : View(c.Task);
        }, cancellationToken);

    /// <summary>The earlier human steps this task may be returned to, nearest first.</summary>
    public Task<WorkflowResult<IReadOnlyList<ReturnTarget>>> ReturnTargetsAsync(Guid taskId, string actor, CancellationToken cancellationToken = default) =>
        CommandAsync<IReadOnlyList<ReturnTarget>>(taskId, actor, async (c, ct) =>
        {
            if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
            return ReturnTargets(c.Execution, c.Task.ActivityId).ToList();
        }, cancellationToken);

    /// <summary>What returning to <paramref name="targetActivityId"/> would cancel, without doing it.</summary>
    public Task<WorkflowResult<ReturnPreview>> PreviewReturnAsync(Guid taskId, string actor, string targetActivityId, CancellationToken cancellationToken = default) =>
        CommandAsync<ReturnPreview>(taskId, actor, async (c, ct) =>
        {
            if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
            if (ReturnTargets(c.Execution, c.Task.ActivityId).FirstOrDefault(t => t.ActivityId == targetActivityId) is not { } target)
                return TaskErrors.Invalid("invalid_return_target", $"不能退回到“{targetActivityId}”：只能退回到本环节之前的人工环节。");
            return await PreviewAsync(c, target, ct);
        }, cancellationToken);

    /// <summary>退回 to an earlier human step, with a reason. Back to the applicant it is a correction (补正).</summary>
    public Task<WorkflowResult<ReturnPreview>> ReturnAsync(Guid taskId, string actor, string targetActivityId, string? reason,
        CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<WorkflowResult<ReturnPreview>>(TaskErrors.ReasonRequired("退回"))
            : CommandAsync<ReturnPreview>(taskId, actor, async (c, ct) =>
            {
                if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
                if (ReturnTargets(c.Execution, c.Task.ActivityId).FirstOrDefault(t => t.ActivityId == targetActivityId) is not { } target)
                    return TaskErrors.Invalid("invalid_return_target", $"不能退回到“{targetActivityId}”：只能退回到本环节之前的人工环节。");
                var preview = await PreviewAsync(c, target, ct);
                StashClock(c, reason!);
                if (target.IsApplicantStep) Deadlines.CaseClock.ReturnForCorrection(c.Execution, reason!, actor);
                c.Change(TaskActions.Return, reason, () =>
                {
                    c.Task.Status = TaskStatuses.Completed;
                    c.Task.Outcome = "Return";
                    c.Task.Comment = reason;
                    c.Task.CompletedBy = actor;
                    c.Task.CompletedAt = c.Now;
                }, extra: new JsonObject { ["target"] = target.ActivityId, ["correction"] = target.IsApplicantStep });
                var message = $"{(target.IsApplicantStep ? "退回申请人补正" : "退回")}至“{target.Name}”：{reason}";
                var returned = await engine.ReturnAsync(c.Execution, target.ActivityId,
                    new JsonObject { ["reason"] = reason, ["from"] = c.Task.ActivityId, ["by"] = actor, ["correction"] = target.IsApplicantStep }, message, ct);
                return returned.IsSuccess ? preview : returned.Error!;
            }, cancellationToken);

    /// <summary>撤回: the applicant takes the case back while the next step has not acted on it.</summary>
    public Task<WorkflowResult<RunResult>> WithdrawAsync(Guid instanceId, string actor, string? reason, CancellationToken cancellationToken = default) =>
        runtime.InTransactionAsync<RunResult>(async (db, ct) =>
        {
            var loaded = await engine.LockAndLoadAsync(db, instanceId, actor, ct);
            if (!loaded.IsSuccess) return loaded.Error!;
            var execution = loaded.Value;
            if (execution.Instance.Initiator != actor) return TaskErrors.Forbidden("not_applicant", "只有申请人本人可以撤回申请。");
            if (execution.Instance.Status != WorkflowStatus.Suspended)
                return WorkflowErrors.InstanceNotRunning(instanceId, execution.Instance.Status);
            if (await WithdrawRule.RefusalAsync(db, instanceId, execution.Instance.Initiator, actor, ct) is { } refused) return refused;
            var open = await db.Tasks.Where(t => t.InstanceId == instanceId && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting)).ToListAsync(ct);

            var now = Now;
            var audit = new TaskActionRecord { Id = Guid.NewGuid(), InstanceId = instanceId, Action = TaskActions.Withdraw, Actor = actor, At = now, Sequence = TaskAudit.NextSequence(), Comment = reason };
            db.TaskActions.Add(audit);
            var message = "申请人撤回" + (string.IsNullOrWhiteSpace(reason) ? "" : $"：{reason}");
            var applicantStep = await ApplicantStepAsync(db, execution, actor, open, ct);
            if (applicantStep is not null) Deadlines.CaseClock.ReturnForCorrection(execution, message, actor);
            WorkflowResult<WorkflowExecution> result = applicantStep is null
                ? await engine.CancelLoadedAsync(execution, message, ct)
                : await engine.ReturnAsync(execution, applicantStep, new JsonObject { ["reason"] = message, ["by"] = actor, ["withdrawn"] = true }, message, ct);
            if (!result.IsSuccess) return result.Error!;
            return new RunResult(instanceId, execution.Instance.Status, execution.OpenBookmarks.Select(WorkflowExecution.ToInfo).ToList(),
                execution.Instance.FaultMessage, execution.State.Result?.DeepClone());
        }, cancellationToken);

    /// <summary>转办: the task passes to another person, who then holds it alone.</summary>
    public Task<WorkflowResult<TaskView>> TransferAsync(Guid taskId, string actor, string toUser, string? comment, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
            if (await Assignable.CheckAsync(c.Db, c.Task, actor, [toUser], AssignAction.Transfer, "toUser", ct) is { } invalid) return invalid;
            c.Change(TaskActions.Transfer, comment, () => c.Task.AssigneeId = toUser, extra: new JsonObject { ["to"] = toUser });
            await c.Db.TaskCandidates.Where(x => x.TaskId == c.Task.Id).ExecuteDeleteAsync(ct);
            c.Db.TaskCandidates.Add(new TaskCandidateRecord { TaskId = c.Task.Id, UserId = toUser });
            c.Notify(toUser, "notify.task-assigned");
            return View(c.Task);
        }, cancellationToken);

    /// <summary>委派: another person handles the task and hands it back (<see cref="ResolveAsync"/>); the decision stays with the delegator.</summary>
    public Task<WorkflowResult<TaskView>> DelegateAsync(Guid taskId, string actor, string toUser, string? comment, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
            if (await Assignable.CheckAsync(c.Db, c.Task, actor, [toUser], AssignAction.Delegate, "toUser", ct) is { } invalid) return invalid;
            c.Change(TaskActions.Delegate, comment, () =>
            {
                c.Task.OwnerId = actor;
                c.Task.AssigneeId = toUser;
                c.Task.DelegationState = "Pending";
            }, extra: new JsonObject { ["to"] = toUser });
            c.Notify(toUser, "notify.task-delegated");
            return View(c.Task);
        }, cancellationToken);

    public Task<WorkflowResult<TaskView>> ResolveAsync(Guid taskId, string actor, string? comment, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, (c, _) =>
        {
            if (c.Task.Status != TaskStatuses.Open) return Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.NotOpen(c.Task));
            if (c.Task.DelegationState != "Pending" || c.Task.AssigneeId != actor)
                return Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.Conflict("not_delegated_to_you", "该待办没有委派给您，无需交回。"));
            var owner = c.Task.OwnerId!;
            c.Change(TaskActions.Resolve, comment, () =>
            {
                c.Task.AssigneeId = owner;
                c.Task.DelegationState = "Resolved";
            });
            c.Notify(owner, "notify.task-resolved");
            return Task.FromResult<WorkflowResult<TaskView>>(View(c.Task));
        }, cancellationToken);

    /// <summary>加签: before (the signer gives an opinion first, this task waits) or after (the signer must also approve).</summary>
    public Task<WorkflowResult<TaskView>> AddSignerAsync(Guid taskId, string actor, string signer, string position, string? comment,
        CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (position is not (SignerKinds.Before or SignerKinds.After))
                return TaskErrors.Invalid("invalid_signer_position", "加签位置只能是 Before（前加签）或 After（后加签）。");
            if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
            if (await Assignable.CheckAsync(c.Db, c.Task, actor, [signer], AssignAction.AddSigner, "signer", ct) is { } invalid) return invalid;
            var group = await GroupAsync(c, ct);
            if (group.Any(t => TaskStatuses.IsActive(t.Status) && t.AssigneeId == signer))
                return TaskErrors.Conflict("already_signer", $"{signer} 已是本环节的办理人。");
            var added = new TaskRecord
            {
                Id = Guid.NewGuid(), InstanceId = c.Task.InstanceId, BookmarkId = c.Task.BookmarkId, ActivityId = c.Task.ActivityId,
                ActivityExecutionId = c.Task.ActivityExecutionId, DefinitionId = c.Task.DefinitionId, ProcessName = c.Task.ProcessName,
                Title = c.Task.Title, Status = position == SignerKinds.Before ? TaskStatuses.Open : TaskStatuses.Pending, SignerKind = position,
                AnchorTaskId = c.Task.Id, ApprovalMode = c.Task.ApprovalMode, AssigneeId = signer, OrgUnitId = c.Task.OrgUnitId,
                InitiatorId = c.Task.InitiatorId, ApplicantOrgUnitId = c.Task.ApplicantOrgUnitId, ApplicantOrgUnitName = c.Task.ApplicantOrgUnitName,
                BusinessNumber = c.Task.BusinessNumber, Summary = c.Task.Summary, FormId = c.Task.FormId,
                FieldPermissionsJson = c.Task.FieldPermissionsJson, DueAt = c.Task.DueAt, YellowAt = c.Task.YellowAt, CreatedAt = c.Now,
            };
            c.Db.Tasks.Add(added);
            c.Db.TaskCandidates.Add(new TaskCandidateRecord { TaskId = added.Id, UserId = signer });
            c.Db.TaskActions.Add(TaskAudit.Action(added, TaskActions.Created, actor, c.Now, comment));
            c.Change(TaskActions.AddSigner, comment, () =>
            {
                if (position == SignerKinds.Before) c.Task.Status = TaskStatuses.Waiting;
            }, extra: new JsonObject { ["signer"] = signer, ["position"] = position, ["signerTaskId"] = added.Id.ToString() });
            if (position == SignerKinds.Before) c.Notify(signer, "notify.task-assigned", added);
            return View(added);
        }, cancellationToken);

    /// <summary>减签: takes back a signer this step added, as long as that signer has not acted.</summary>
    public Task<WorkflowResult<TaskView>> RemoveSignerAsync(Guid taskId, string actor, Guid signerTaskId, string? comment,
        CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (c.Task.AssigneeId != actor) return TaskErrors.NotCandidate(actor);
            var signer = await c.Db.Tasks.FirstOrDefaultAsync(t => t.Id == signerTaskId && t.AnchorTaskId == c.Task.Id, ct);
            if (signer is null) return TaskErrors.Invalid("not_your_signer", "只能减去本待办加签的人员。");
            if (!TaskStatuses.IsActive(signer.Status)) return TaskErrors.NotOpen(signer);
            if (await c.Db.TaskActions.AnyAsync(a => a.TaskId == signer.Id && !TaskActions.Passive.Contains(a.Action), ct))
                return TaskErrors.Conflict("signer_acted", $"{signer.AssigneeId} 已处理该待办，不能减签。");
            var before = TaskAudit.Snapshot(signer);
            signer.Status = TaskStatuses.Cancelled;
            signer.CompletedAt = c.Now;
            c.Db.TaskActions.Add(TaskAudit.Action(signer, TaskActions.Cancelled, actor, c.Now, "减签", before));
            var stillWaiting = await c.Db.Tasks.AnyAsync(t => t.AnchorTaskId == c.Task.Id && t.Id != signer.Id && t.SignerKind == SignerKinds.Before
                && t.Status == TaskStatuses.Open, ct);
            c.Change(TaskActions.RemoveSigner, comment, () =>
            {
                if (c.Task.Status == TaskStatuses.Waiting && !stillWaiting) c.Task.Status = TaskStatuses.Open;
            }, extra: new JsonObject { ["signer"] = signer.AssigneeId, ["signerTaskId"] = signer.Id.ToString() });
            return View(c.Task);
        }, cancellationToken);

    /// <summary>抄送: copies the case to people who follow it without acting.</summary>
    public Task<WorkflowResult<TaskView>> CopyAsync(Guid taskId, string actor, IReadOnlyList<string> users, string? note, CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (!await CanSeeAsync(c, actor, ct)) return TaskErrors.NotCandidate(actor);
            if (await Assignable.CheckAsync(c.Db, c.Task, actor, users, AssignAction.Copy, "users", ct) is { } invalid) return invalid;
            var known = users.Distinct().ToList();
            foreach (var user in known)
            {
                c.Db.CarbonCopies.Add(new CarbonCopyRecord { Id = Guid.NewGuid(), InstanceId = c.Task.InstanceId, TaskId = c.Task.Id, UserId = user, CopiedBy = actor, Note = note, CreatedAt = c.Now });
                c.Notify(user, "notify.case-copied");
            }

            c.Change(TaskActions.Copy, note, () => { }, extra: new JsonObject { ["to"] = new JsonArray(known.Select(u => (JsonNode)u).ToArray()) });
            return View(c.Task);
        }, cancellationToken);

    public Task<WorkflowResult<bool>> MarkCopyReadAsync(Guid copyId, string actor, CancellationToken cancellationToken = default) =>
        runtime.InTransactionAsync<bool>(async (db, ct) =>
        {
            var copy = await db.CarbonCopies.FirstOrDefaultAsync(x => x.Id == copyId, ct);
            if (copy is null || copy.UserId != actor) return TaskErrors.Invalid("copy_not_found", "找不到这条抄送。");
            copy.ReadAt ??= Now;
            return true;
        }, cancellationToken);

    /// <summary>催办: the applicant reminds the holders of the waiting steps; at most once an hour per step.</summary>
    public Task<WorkflowResult<int>> UrgeAsync(Guid instanceId, string actor, string? comment, CancellationToken cancellationToken = default) =>
        runtime.InTransactionAsync<int>(async (db, ct) =>
        {
            var loaded = await engine.LockAndLoadAsync(db, instanceId, actor, ct);
            if (!loaded.IsSuccess) return loaded.Error!;
            if (loaded.Value.Instance.Initiator != actor) return TaskErrors.Forbidden("not_applicant", "只有申请人本人可以催办。");
            var now = Now;
            var open = await db.Tasks.Where(t => t.InstanceId == instanceId && t.Status == TaskStatuses.Open).ToListAsync(ct);
            if (open.Count == 0) return TaskErrors.Conflict("nothing_to_urge", "当前没有等待办理的待办。");
            if (open.All(t => t.LastUrgedAt is { } last && now - last < UrgeInterval))
                return TaskErrors.Conflict("urged_recently", "一小时内已催办过，请稍后再试。");
            foreach (var task in open.Where(t => t.LastUrgedAt is not { } last || now - last >= UrgeInterval))
            {
                var command = new Command(db, task, loaded.Value, actor, now);
                command.Change(TaskActions.Urge, comment, () =>
                {
                    task.UrgeCount++;
                    task.LastUrgedAt = now;
                });
                foreach (var holder in await HoldersAsync(db, task, ct)) command.Notify(holder, "notify.task-urged");
            }

            loaded.Value.Save();
            return open.Count;
        }, cancellationToken);

    public Task<WorkflowResult<TaskView>> CommentAsync(Guid taskId, string actor, string comment, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(comment)
            ? Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.Invalid("comment_required", "请填写意见内容。"))
            : CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
            {
                if (!await CanSeeAsync(c, actor, ct) && c.Task.InitiatorId != actor) return TaskErrors.NotCandidate(actor);
                c.Change(TaskActions.Comment, comment, () => { });
                return View(c.Task);
            }, cancellationToken);

    /// <summary>Approves several tasks, each in its own transaction, with one audit entry per task.</summary>
    public async Task<IReadOnlyList<BulkItemResult>> BulkApproveAsync(IReadOnlyList<Guid> taskIds, string actor, string? comment,
        CancellationToken cancellationToken = default)
    {
        var results = new List<BulkItemResult>();
        foreach (var id in taskIds.Distinct())
        {
            var result = await ApproveAsync(id, actor, comment, cancellationToken: cancellationToken);
            results.Add(new BulkItemResult(id, result.IsSuccess, result.Error?.Code, result.Error?.Detail));
        }

        return results;
    }

    /// <summary>延期: a holder asks for more working days; a configured role decides (<see cref="DecideExtensionAsync"/>).</summary>
    public Task<WorkflowResult<TaskView>> RequestExtensionAsync(Guid taskId, string actor, int workingDays, string? reason,
        CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult<WorkflowResult<TaskView>>(TaskErrors.ReasonRequired("申请延期"))
            : CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
            {
                if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
                if (c.Clock is not { } legalClock) return TaskErrors.Conflict("no_deadline", "该环节没有办理时限，无需延期。");
                var change = legalClock.RequestExtension(Calendar, c.NowOffset, workingDays, reason!, actor);
                if (!change.IsSuccess) return change.Error!;
                c.Change(TaskActions.RequestExtension, reason, () =>
                {
                    c.Clock = change.Value.Clock;
                    c.Task.ExtensionPending = true;
                }, extra: new JsonObject { ["workingDays"] = workingDays });
                // The request reaches those who decide it (the step's extensionApprovers, by default the bureau's platform admins).
                foreach (var approver in (await ExtensionApproversAsync(c, ct)).Where(u => u != actor))
                    c.Notify(approver, "notify.extension-requested", extra: new JsonObject { ["workingDays"] = workingDays.ToString(), ["reason"] = reason });
                return View(c.Task);
            }, cancellationToken);

    public Task<WorkflowResult<TaskView>> DecideExtensionAsync(Guid taskId, string actor, bool approve, string? reason,
        CancellationToken cancellationToken = default) =>
        CommandAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (c.Clock is not { PendingExtension: not null } legalClock) return TaskErrors.Conflict("no_pending_extension", "该待办没有待审批的延期申请。");
            if (!(await ExtensionApproversAsync(c, ct)).Contains(actor)) return TaskErrors.Forbidden("not_extension_approver", "您无权审批该延期申请。");
            if (!approve && string.IsNullOrWhiteSpace(reason)) return TaskErrors.ReasonRequired("不同意延期");
            var change = approve ? legalClock.ApproveExtension(Calendar, c.NowOffset, actor) : legalClock.RejectExtension(Calendar, c.NowOffset, actor, reason!);
            if (!change.IsSuccess) return change.Error!;
            c.Change(approve ? TaskActions.ApproveExtension : TaskActions.RejectExtension, reason, () =>
            {
                c.Clock = change.Value.Clock;
                c.Task.ExtensionPending = false;
            });
            if (approve) await MoveDeadlineAsync(c, change.Value.Clock, ct);
            foreach (var holder in await HoldersAsync(c.Db, c.Task, ct)) c.Notify(holder, approve ? "notify.extension-approved" : "notify.extension-rejected");
            return View(c.Task);
        }, cancellationToken);

    /// <summary>Who decides an extension of this task's deadline: the step's <c>sla.extensionApprovers</c>, by default the bureau's platform admins.</summary>
    private async Task<IReadOnlyList<string>> ExtensionApproversAsync(Command c, CancellationToken ct) =>
        (await resolver.ResolveAsync(c.Db, CaseFacts.Of(c.Execution), SlaOf(c)?.ExtensionApprovers ?? AssignmentSpec.BureauAdmins, ct)).Users;

    /// <summary>Whether <paramref name="user"/> decides the pending extension of a task (for the actions a task view offers).</summary>
    public async Task<bool> DecidesExtensionAsync(TaskRecord task, string user, CancellationToken cancellationToken = default)
    {
        if (!task.ExtensionPending) return false;
        var instance = await services.GetRequiredService<WorkflowQueries>().GetInstanceAsync(task.InstanceId, cancellationToken);
        if (instance is null) return false;
        var definition = await services.GetRequiredService<Definitions.WorkflowDefinitionStore>().GetAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        var sla = definition?.Root.Activities.FirstOrDefault(a => a.Id == task.ActivityId)?.GetInput("sla")?.Expression.Value?.Deserialize<SlaSpec>(UserTask.Json);
        var facts = (JsonObject)instance.Input.DeepClone();
        foreach (var (name, value) in instance.Variables) facts[name] = value?.DeepClone();
        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(cancellationToken);
        var approvers = await resolver.ResolveAsync(db, new CaseFacts(instance.Initiator, facts), sla?.ExtensionApprovers ?? AssignmentSpec.BureauAdmins, cancellationToken);
        return approvers.Users.Contains(user);
    }

    /// <summary>
    /// Records a file <see cref="TaskAttachments"/> checked and stored, under the instance lock; refused (and nothing
    /// written) unless <paramref name="actor"/> may still attach through the task.
    /// </summary>
    internal Task<WorkflowResult<AttachmentRecord>> RecordAttachmentAsync(Guid taskId, string actor, string name, AttachmentStore.Stored stored,
        CancellationToken cancellationToken = default) =>
        CommandAsync<AttachmentRecord>(taskId, actor, async (c, ct) =>
        {
            if (!await TaskAttachments.MayAttachAsync(c.Db, c.Task, actor, ct)) return TaskErrors.NotCandidate(actor);
            var record = new AttachmentRecord
            {
                Id = Guid.NewGuid(), InstanceId = c.Task.InstanceId, TaskId = c.Task.Id, FileName = name, ContentType = stored.ContentType,
                Size = stored.Size, Sha256 = stored.Sha256, UploadedBy = actor, UploadedAt = c.Now,
            };
            c.Db.Attachments.Add(record);
            c.Change(TaskActions.Attach, name, () => { }, extra: new JsonObject { ["file"] = name, ["sha256"] = stored.Sha256, ["size"] = stored.Size });
            return record;
        }, cancellationToken);

    private WorkingDayCalendar Calendar => services.GetRequiredService<WorkingDayCalendar>();

    private AssignableUsers Assignable => services.GetRequiredService<AssignableUsers>();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateTimeOffset NowOffset => clock.GetUtcNow();

    private TaskView View(TaskRecord task) => TaskView.From(task, NowOffset);

    /// <summary>
    /// Checks a submission against the step's form and permissions and merges it into the case's form (variable
    /// <c>form</c>). Field errors come back as one refusal naming each field; nothing is written then.
    /// </summary>
    private async Task<WorkflowError?> ApplyFormAsync(Command c, JsonObject? submission, bool draft, CancellationToken ct)
    {
        if (submission is null) return null;
        if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
        if (c.Task.FormId is not { } formId) return TaskErrors.Invalid("no_form", "该环节没有表单，不能提交表单内容。");
        var registry = services.GetService<Forms.FormSchemaRegistry>();
        if (registry is null || !registry.TryGet(formId, out var schema)) return TaskErrors.Invalid("form_not_found", $"表单“{formId}”不存在。");
        var permissions = c.Task.FieldPermissionsJson is { } json
            ? JsonSerializer.Deserialize<Forms.FormPermissions>(json, Forms.FormSchemaJson.Options)
            : null;
        var variables = c.Execution.State.Variables;
        var current = variables["form"] as JsonObject ?? c.Execution.State.Input["form"] as JsonObject ?? schema.CreateInitialData();
        var applicantStep = c.Execution.Graph.Find(c.Task.ActivityId) is { } node && UserTask.IsApplicantStep(node);
        var check = await services.GetRequiredService<FormSubmissionChecker>().CheckAsync(c.Db,
            new FormSubmission(c.Execution.Instance.DefinitionId, c.Execution.Instance.Initiator ?? c.Actor, schema, permissions, submission, current,
                c.Execution.Instance.Id, applicantStep, draft), ct);
        if (!check.IsValid) return FormInvalid(check, c.Task.ActivityId);

        RecordFacts(c, check.Variables);
        var changed = check.Data.Where(p => !JsonNode.DeepEquals(p.Value, current[p.Key])).Select(p => p.Key)
            .Concat(current.Where(p => !check.Data.ContainsKey(p.Key)).Select(p => p.Key)).ToList();
        if (changed.Count == 0 && variables["form"] is not null) return null;
        var before = new JsonObject(changed.Select(k => KeyValuePair.Create(k, current[k]?.DeepClone())));
        var after = new JsonObject(changed.Select(k => KeyValuePair.Create(k, check.Data[k]?.DeepClone())));
        variables["form"] = check.Data.DeepClone();
        await CaseSummaries.RefreshAsync(services.GetRequiredService<ICaseSummary>(), c.Execution, c.Task, ct);
        c.Db.TaskActions.Add(TaskAudit.Action(c.Task, TaskActions.SaveForm, c.Actor, c.Now, $"修改 {changed.Count} 个字段", before, after));
        c.Execution.Append(JournalEvents.TaskAction, c.Task.ActivityId, UserTask.TypeName, c.Task.ActivityExecutionId, TaskActions.SaveForm,
            before, after, $"修改 {changed.Count} 个字段");
        return null;
    }

    /// <summary>The refusal of a form: one error naming each field (problem details with <c>errors</c>).</summary>
    public static WorkflowError FormInvalid(FormSubmissionResult check, string? activityId) =>
        new(WorkflowErrorKind.Invalid, check.RefusalCode ?? "form_invalid", "表单填写有误", $"表单有 {check.Errors.Count} 处需要修改：{check.Errors[0].Message}")
        {
            Errors = check.Errors.Select(e => new DefinitionError(e.Code, e.Message, activityId, e.Field)).ToList(),
        };

    /// <summary>
    /// The variables the platform derived from its records for this case (routing: provider, share type, the applicant's
    /// unit…) replace whatever was there; a change is journaled (replay takes it as recorded, like a form save).
    /// </summary>
    private static void RecordFacts(Command c, JsonObject facts)
    {
        var variables = c.Execution.State.Variables;
        var changed = facts.Where(p => !JsonNode.DeepEquals(p.Value, variables[p.Key])).Select(p => p.Key).ToList();
        if (changed.Count == 0) return;
        var before = new JsonObject(changed.Select(k => KeyValuePair.Create(k, variables[k]?.DeepClone())));
        var after = new JsonObject(changed.Select(k => KeyValuePair.Create(k, facts[k]?.DeepClone())));
        foreach (var name in changed) variables[name] = facts[name]?.DeepClone();
        c.Execution.Append(JournalEvents.TaskAction, c.Task.ActivityId, UserTask.TypeName, c.Task.ActivityExecutionId, TaskActions.RecordFacts,
            before, after, "平台根据资源目录和组织机构记录确定办理路径");
    }

    /// <summary>Approve or reject: records the vote, then lets the step's group decide.</summary>
    private async Task<WorkflowResult<TaskView>> VoteAsync(Command c, string vote, string? comment, CancellationToken ct)
    {
        if (await CheckDecisionAsync(c, ct) is { } refused) return refused;
        if (c.Execution.Graph.Find(c.Task.ActivityId) is { } node && UserTask.IsApplicantStep(node))
        {
            Deadlines.CaseClock.Resubmit(c.Execution, c.Actor);
            // Sending the application (not withdrawing it from its own step) is what submits it.
            if (vote == Votes.Approve) await BusinessNumbers.AssignAsync(c.Execution, ct);
        }

        var opinion = c.Task.SignerKind == SignerKinds.Before;
        c.Change(vote == Votes.Approve ? TaskActions.Approve : TaskActions.Reject, comment, () =>
        {
            c.Task.Status = TaskStatuses.Completed;
            c.Task.Vote = opinion ? Votes.Opinion : vote;
            c.Task.Outcome = vote == Votes.Approve ? UserTask.Approve : UserTask.Reject;
            c.Task.Comment = comment;
            c.Task.CompletedBy = c.Actor;
            c.Task.CompletedAt = c.Now;
            if (c.Clock?.Stop(Calendar, c.NowOffset, c.Actor) is { IsSuccess: true } stopped) c.Clock = stopped.Value.Clock;
        });

        var group = await GroupAsync(c, ct);
        if (opinion)
        {
            // An earlier signer's opinion hands the step back to the one who asked for it.
            var anchor = group.Single(t => t.Id == c.Task.AnchorTaskId);
            if (anchor.Status == TaskStatuses.Waiting && !group.Any(t => t.AnchorTaskId == anchor.Id && t.SignerKind == SignerKinds.Before && t.Status == TaskStatuses.Open))
                Activate(c, anchor, "前加签人已提出意见");
            return View(c.Task);
        }

        if (vote == Votes.Approve)
            foreach (var later in group.Where(t => t.AnchorTaskId == c.Task.Id && t.SignerKind == SignerKinds.After && t.Status == TaskStatuses.Pending))
                Activate(c, later, "前一审批人已同意，轮到后加签人");

        if (GroupDecision.Decide(group) is not { } decision) return View(c.Task);
        foreach (var other in group.Where(t => TaskStatuses.IsActive(t.Status)))
        {
            var before = TaskAudit.Snapshot(other);
            other.Status = TaskStatuses.Cancelled;
            other.CompletedAt = c.Now;
            c.Db.TaskActions.Add(TaskAudit.Action(other, TaskActions.Cancelled, "system", c.Now, "本环节已有决定", before));
        }

        var decidedBy = group.Where(t => t.Vote == decision).Select(t => t.CompletedBy).OfType<string>().Distinct();
        var payload = new JsonObject
        {
            ["decision"] = decision == Votes.Approve ? UserTask.Approve : UserTask.Reject,
            ["comment"] = comment,
            ["decidedBy"] = new JsonArray(decidedBy.Select(u => (JsonNode)u).ToArray()),
        };
        c.Execution.Save();
        c.EngineTookOver = true;
        var resumed = await engine.ResumeAsync(c.Db, c.Task.BookmarkId, payload, c.Actor, ct);
        return resumed.IsSuccess ? View(c.Task) : resumed.Error!;
    }

    private static void Activate(Command c, TaskRecord task, string why)
    {
        var before = TaskAudit.Snapshot(task);
        task.Status = TaskStatuses.Open;
        c.Db.TaskActions.Add(TaskAudit.Action(task, TaskActions.Activated, "system", c.Now, why, before));
        if (task.AssigneeId is { } assignee) c.Notify(assignee, "notify.task-assigned", task);
    }

    /// <summary>The checks every deciding command makes; a candidate of a pool task claims it by acting.</summary>
    private async Task<WorkflowError?> CheckDecisionAsync(Command c, CancellationToken ct)
    {
        if (c.Task.Status != TaskStatuses.Open) return TaskErrors.NotOpen(c.Task);
        if (c.Task.DelegationState == "Pending") return c.Task.AssigneeId == c.Actor || c.Task.OwnerId == c.Actor ? TaskErrors.Delegated(c.Task, c.Actor) : TaskErrors.NotCandidate(c.Actor);
        if (c.Task.AssigneeId == c.Actor) return null;
        if (c.Task.AssigneeId is not null) return (await IsCandidateAsync(c.Db, c.Task, c.Actor, ct)) ? TaskErrors.ClaimedByOther(c.Task) : TaskErrors.NotCandidate(c.Actor);
        if (!await IsCandidateAsync(c.Db, c.Task, c.Actor, ct)) return TaskErrors.NotCandidate(c.Actor);
        c.Change(TaskActions.Claim, null, () =>
        {
            c.Task.AssigneeId = c.Actor;
            c.Task.ClaimedAt = c.Now;
        });
        return null;
    }

    private static Task<bool> IsCandidateAsync(WorkflowDbContext db, TaskRecord task, string actor, CancellationToken ct) =>
        db.TaskCandidates.AnyAsync(x => x.TaskId == task.Id && x.UserId == actor, ct);

    private static async Task<bool> CanSeeAsync(Command c, string actor, CancellationToken ct) =>
        c.Task.AssigneeId == actor || c.Task.OwnerId == actor || await IsCandidateAsync(c.Db, c.Task, actor, ct);

    private static async Task<IReadOnlyList<string>> HoldersAsync(WorkflowDbContext db, TaskRecord task, CancellationToken ct) =>
        task.AssigneeId is { } assignee ? [assignee] : await db.TaskCandidates.Where(x => x.TaskId == task.Id).Select(x => x.UserId).ToListAsync(ct);

    /// <summary>The human steps before this one: a return may go to any of them.</summary>
    private static IEnumerable<ReturnTarget> ReturnTargets(WorkflowExecution execution, string activityId)
    {
        var graph = execution.Graph;
        var ancestors = graph.Ancestors(activityId);
        return graph.Definition.Root.Activities
            .Where(a => a.Type == UserTask.TypeName && ancestors.Contains(a.Id) && a.Id != activityId)
            .Select(a => new ReturnTarget(a.Id, a.Name ?? a.Id, UserTask.IsApplicantStep(a)))
            .OrderBy(t => graph.Ancestors(t.ActivityId).Count * -1);
    }

    private async Task<ReturnPreview> PreviewAsync(Command c, ReturnTarget target, CancellationToken ct)
    {
        var bookmarks = c.Execution.BookmarksRedoneByReturnTo(target.ActivityId);
        var ids = bookmarks.Select(b => b.Id).ToList();
        var tasks = await c.Db.Tasks.Where(t => ids.Contains(t.BookmarkId) && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending))
            .OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var others = bookmarks.Where(b => b.Name != UserTask.DecisionBookmark && !b.Name.StartsWith("UserTask.", StringComparison.Ordinal))
            .Select(b => b.ActivityId).Distinct().ToList();
        return new ReturnPreview(target.ActivityId, target.Name, target.IsApplicantStep, tasks.Select(t => TaskView.From(t, NowOffset)).ToList(), others);
    }

    /// <summary>The returning step's clock stops while the case is elsewhere; its rule decides what coming back costs.</summary>
    private void StashClock(Command c, string reason)
    {
        if (c.Clock is not { } legalClock) return;
        var returned = legalClock.ReturnForCorrection(Calendar, c.NowOffset, reason, c.Actor);
        if (!returned.IsSuccess) return;
        c.Clock = returned.Value.Clock;
        var stash = c.Execution.State.Data[UserTask.StageClocksKey] as JsonObject ?? [];
        stash[c.Task.ActivityId] = JsonSerializer.SerializeToNode(returned.Value.Clock, UserTask.Json);
        c.Execution.State.Data[UserTask.StageClocksKey] = stash;
    }

    private static SlaSpec? SlaOf(Command c) =>
        c.Execution.Graph.Find(c.Task.ActivityId)?.GetInput("sla")?.Expression.Value?.Deserialize<SlaSpec>(UserTask.Json);

    /// <summary>An approved extension moves the step's deadline: the tasks' due instants and the SLA timers follow.</summary>
    private async Task MoveDeadlineAsync(Command c, LegalClock legalClock, CancellationToken ct)
    {
        foreach (var task in await GroupAsync(c, ct))
            if (task.Id != c.Task.Id) SlaTimers.Apply(task, legalClock, Calendar);
        SlaTimers.Apply(c.Task, legalClock, Calendar);
        SlaTimers.Reschedule(c.Execution, c.Task.ActivityExecutionId, legalClock, Calendar, c.Actor);
        c.Execution.Append(JournalEvents.Note, c.Task.ActivityId, UserTask.TypeName, c.Task.ActivityExecutionId,
            message: $"延期获批，办理时限调整为 {legalClock.Deadline:yyyy-MM-dd HH:mm}");
    }

    private static async Task<string?> ApplicantStepAsync(WorkflowDbContext db, WorkflowExecution execution, string actor, List<TaskRecord> open, CancellationToken ct)
    {
        var done = await db.Tasks.Where(t => t.InstanceId == execution.Instance.Id && t.CompletedBy == actor && t.Status == TaskStatuses.Completed)
            .OrderByDescending(t => t.CompletedAt).Select(t => t.ActivityId).ToListAsync(ct);
        return done.FirstOrDefault(step => open.All(t => execution.Graph.Ancestors(t.ActivityId).Contains(step)));
    }

    private Task<WorkflowResult<T>> CommandAsync<T>(Guid taskId, string actor, Func<Command, CancellationToken, Task<WorkflowResult<T>>> body,
        CancellationToken cancellationToken) =>
        runtime.InTransactionAsync<T>(async (db, ct) =>
        {
            var instanceId = await _taskInstance(db, taskId, ct);
            if (instanceId is null) return TaskErrors.NotFound(taskId);
            var loaded = await engine.LockAndLoadAsync(db, instanceId.Value, actor, ct);
            if (!loaded.IsSuccess) return loaded.Error!;
            var task = await _taskById(db, taskId, ct);
            var command = new Command(db, task, loaded.Value, actor, Now);
            var result = await body(command, ct);
            if (!result.IsSuccess) return await TaskErrors.NamedAsync(db, result.Error!, [task.AssigneeId, task.CompletedBy, task.OwnerId, actor], ct);
            command.SaveClock();
            if (!command.EngineTookOver) loaded.Value.Save();
            return result;
        }, cancellationToken);

    // The queries of every command, compiled once (EF Core then skips building and looking up the query per call); per
    // service, as a compiled query serves one model (one database provider) only.
    private readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<Guid?>> _taskInstance =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) => db.Tasks.Where(t => t.Id == id).Select(t => (Guid?)t.InstanceId).FirstOrDefault());

    private readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<TaskRecord>> _taskById =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) => db.Tasks.First(t => t.Id == id));

    private readonly Func<WorkflowDbContext, Guid, IAsyncEnumerable<TaskRecord>> _tasksOfExecution =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid executionId) => db.Tasks.Where(t => t.ActivityExecutionId == executionId));

    /// <summary>The tasks of the command's step (its execution): the group that decides it, signers included.</summary>
    private async Task<List<TaskRecord>> GroupAsync(Command c, CancellationToken ct)
    {
        var group = new List<TaskRecord>();
        await foreach (var task in _tasksOfExecution(c.Db, c.Task.ActivityExecutionId).WithCancellation(ct)) group.Add(task);
        return group;
    }

    /// <summary>One command on one task, under the instance lock.</summary>
    private sealed class Command(WorkflowDbContext db, TaskRecord task, WorkflowExecution execution, string actor, DateTime now)
    {
        private bool _clockChanged;
        private LegalClock? _clock = task.ClockJson is null ? null : JsonSerializer.Deserialize<LegalClock>(task.ClockJson, UserTask.Json);

        public WorkflowDbContext Db { get; } = db;
        public TaskRecord Task { get; } = task;
        public WorkflowExecution Execution { get; } = execution;
        public string Actor { get; } = actor;
        public DateTime Now { get; } = now;
        public DateTimeOffset NowOffset => new(Now, TimeSpan.Zero);

        /// <summary>A burst ran on a fresh load of the instance: the state this command loaded is stale and must not be written back.</summary>
        public bool EngineTookOver { get; set; }

        public LegalClock? Clock
        {
            get => _clock;
            set
            {
                _clock = value;
                _clockChanged = true;
            }
        }

        /// <summary>Applies a change to the task and records it: an audit row with before/after, and a journal entry.</summary>
        public void Change(string action, string? comment, Action apply, JsonObject? extra = null)
        {
            if (comment is { Length: > MaxComment } && comment.EnumerateRunes().Count() > MaxComment)
                comment = string.Concat(comment.EnumerateRunes().Take(MaxComment).Select(r => r.ToString()));
            var before = TaskAudit.Snapshot(Task);
            apply();
            var after = TaskAudit.Snapshot(Task);
            if (extra is not null)
                foreach (var (key, value) in extra) after[key] = value?.DeepClone();
            Db.TaskActions.Add(TaskAudit.Action(Task, action, Actor, Now, comment, before, after));
            Execution.Append(JournalEvents.TaskAction, Task.ActivityId, UserTask.TypeName, Task.ActivityExecutionId, action,
                before, after, comment);
        }

        public void Notify(string user, string type, TaskRecord? about = null, JsonObject? extra = null)
        {
            var target = about ?? Task;
            var payload = UserTask.Notice(user, target);
            foreach (var (key, value) in extra ?? []) payload[key] = value?.DeepClone();
            Db.Outbox.Add(new OutboxRecord
            {
                Id = Guid.NewGuid(), InstanceId = target.InstanceId, Type = type, Key = $"{type}:{target.Id:N}:{user}:{Now.Ticks}",
                PayloadJson = payload.ToJsonString(JsonDefaults.Stored), CreatedAt = Now, NextAttemptAt = Now,
            });
        }

        public void SaveClock()
        {
            if (_clockChanged) Task.ClockJson = _clock is null ? null : JsonSerializer.Serialize(_clock, UserTask.Json);
        }
    }
}
