using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// 加签 and 减签: a holder adds a signer to the step, before (the signer gives an opinion first, this task waits) or after
/// (the signer must also approve), and may take back one who has not acted.
/// </summary>
internal sealed class TaskSigners(TaskCommands commands)
{
    public Task<WorkflowResult<TaskView>> AddSignerAsync(Guid taskId, string actor, string signer, string position, string? comment,
        CancellationToken cancellationToken) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (position is not (SignerKinds.Before or SignerKinds.After))
                return TaskErrors.Invalid("invalid_signer_position", "加签位置只能是 Before（前加签）或 After（后加签）。");
            if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
            var assignable = commands.Services.GetRequiredService<AssignableUsers>();
            if (await assignable.CheckAsync(c.Db, c.Task, actor, [signer], AssignAction.AddSigner, "signer", ct) is { } invalid) return invalid;
            var group = await c.GroupAsync(ct);
            if (group.Any(t => TaskStatuses.IsActive(t.Status) && t.AssigneeId == signer))
                return TaskErrors.Conflict("already_signer", $"{signer} 已是本环节的办理人。");
            var added = SignerTask(c.Task, signer, position, c.Now);
            c.Db.Tasks.Add(added);
            c.Db.TaskCandidates.Add(new TaskCandidateRecord { TaskId = added.Id, UserId = signer });
            c.Db.TaskActions.Add(TaskAudit.Action(added, TaskActions.Created, actor, c.Now, comment));
            c.Change(TaskActions.AddSigner, comment, () =>
            {
                if (position == SignerKinds.Before) c.Task.WaitForSigners();
            }, extra: new JsonObject { ["signer"] = signer, ["position"] = position, ["signerTaskId"] = added.Id.ToString() });
            if (position == SignerKinds.Before) c.Notify(signer, "notify.task-assigned", added);
            return commands.View(added);
        }, cancellationToken);

    /// <summary>减签: takes back a signer this step added, as long as that signer has not acted.</summary>
    public Task<WorkflowResult<TaskView>> RemoveSignerAsync(Guid taskId, string actor, Guid signerTaskId, string? comment, CancellationToken cancellationToken) =>
        commands.RunAsync<TaskView>(taskId, actor, async (c, ct) =>
        {
            if (c.Task.AssigneeId != actor) return TaskErrors.NotCandidate(actor);
            var signer = await c.Db.Tasks.FirstOrDefaultAsync(t => t.Id == signerTaskId && t.AnchorTaskId == c.Task.Id, ct);
            if (signer is null) return TaskErrors.Invalid("not_your_signer", "只能减去本待办加签的人员。");
            if (!TaskStatuses.IsActive(signer.Status)) return TaskErrors.NotOpen(signer);
            if (await c.Db.TaskActions.AnyAsync(a => a.TaskId == signer.Id && !TaskActions.Passive.Contains(a.Action), ct))
                return TaskErrors.Conflict("signer_acted", $"{signer.AssigneeId} 已处理该待办，不能减签。");
            c.Consequence(signer, TaskActions.Cancelled, actor, "减签", () => signer.Cancel(c.Now));
            var stillWaiting = await c.Db.Tasks.AnyAsync(t => t.AnchorTaskId == c.Task.Id && t.Id != signer.Id && t.SignerKind == SignerKinds.Before
                && t.Status == TaskStatuses.Open, ct);
            c.Change(TaskActions.RemoveSigner, comment, () =>
            {
                if (c.Task.Status == TaskStatuses.Waiting && !stillWaiting) c.Task.Activate();
            }, extra: new JsonObject { ["signer"] = signer.AssigneeId, ["signerTaskId"] = signer.Id.ToString() });
            return commands.View(c.Task);
        }, cancellationToken);

    /// <summary>The signer's task: a copy of the step's task for <paramref name="signer"/>, open now (before) or when this one is approved (after).</summary>
    private static TaskRecord SignerTask(TaskRecord task, string signer, string position, DateTime now) => new()
    {
        Id = Guid.NewGuid(), InstanceId = task.InstanceId, BookmarkId = task.BookmarkId, ActivityId = task.ActivityId,
        ActivityExecutionId = task.ActivityExecutionId, DefinitionId = task.DefinitionId, ProcessName = task.ProcessName,
        Title = task.Title, Status = position == SignerKinds.Before ? TaskStatuses.Open : TaskStatuses.Pending, SignerKind = position,
        AnchorTaskId = task.Id, ApprovalMode = task.ApprovalMode, AssigneeId = signer, OrgUnitId = task.OrgUnitId,
        InitiatorId = task.InitiatorId, ApplicantOrgUnitId = task.ApplicantOrgUnitId, ApplicantOrgUnitName = task.ApplicantOrgUnitName,
        BusinessNumber = task.BusinessNumber, Summary = task.Summary, FormId = task.FormId,
        FieldPermissionsJson = task.FieldPermissionsJson, DueAt = task.DueAt, YellowAt = task.YellowAt, CreatedAt = now,
    };
}
