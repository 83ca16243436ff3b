using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

public sealed record TaskDetail(TaskView Task, ApplicationDetail Application, string? FormId, JsonObject? Form, FormPermissions? FieldPermissions,
    ClockStatus? Deadline, IReadOnlyList<string> AvailableActions);

public sealed record ApproveRequest(string? Comment, JsonObject? Form);

public sealed record RejectRequest(string? Reason, JsonObject? Form);

public sealed record ReturnRequest(string? Target, string? Reason);

public sealed record ToUserRequest(string? ToUser, string? Comment);

public sealed record SignerRequest(string? Signer, string? Position, string? Comment);

public sealed record CopyRequest(IReadOnlyList<string>? Users, string? Note);

public sealed record ExtensionRequest(int? WorkingDays, string? Reason);

public sealed record ExtensionDecision(bool? Approve, string? Reason);

public sealed record BulkApproveRequest(IReadOnlyList<Guid>? TaskIds, string? Comment);

/// <summary>
/// The inbox boxes and every approval action. Each action first finds the task's case in the caller's scope (404
/// otherwise), then lets <see cref="TaskService"/> check that the caller holds the task (403) and its state (409).
/// </summary>
public static class TaskEndpoints
{
    /// <summary>One 抄送 names its users in one query; a list beyond this is not a real case and would exceed the database's parameter limit.</summary>
    private const int MaxCopyUsers = 200;

    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();

        api.MapGet("/counts", async (Caller caller, TaskQueries queries, CancellationToken ct) =>
        {
            var c = await queries.CountsAsync(caller.Id, ct);
            return Results.Ok(new { todo = c.Mine + c.Claimable, mine = c.Mine, claimable = c.Claimable, c.Yellow, c.Red, c.UnreadCopies, c.OpenApplications });
        });
        // 待办 = assigned to me or claimable by me: one query, so that paging and the total span both at any depth.
        api.MapGet("/todo", async ([AsParameters] InboxFilter filter, Caller caller, TaskQueries queries, CancellationToken ct) =>
            filter.Check() ?? Results.Ok(await queries.TodoAsync(caller.Id, filter.Query(), ct))).Produces<PageOf<TaskView>>();
        api.MapGet("/done", async ([AsParameters] InboxFilter filter, Caller caller, TaskQueries queries, CancellationToken ct) =>
            filter.Check() ?? Results.Ok(await queries.DoneAsync(caller.Id, filter.Query(), ct))).Produces<PageOf<TaskView>>();
        api.MapGet("/cc", async (bool? unreadOnly, int? page, int? pageSize, Caller caller, TaskQueries queries, CancellationToken ct) =>
        {
            var (_, take, number) = Paging.Of(page, pageSize);
            return Results.Ok(await queries.CopiedToMeAsync(caller.Id, unreadOnly == true, number, take, ct));
        }).Produces<PageOf<CopyView>>();
        api.MapGet("/mine", ApplicationEndpoints.MineAsync).LimitQueryText("search", TextLimits.Search, "搜索内容");
        api.MapPost("/cc/{copyId:guid}/read", async (Guid copyId, Caller caller, TaskService tasks, CancellationToken ct) =>
            await tasks.MarkCopyReadAsync(copyId, caller.Id, ct) is { IsSuccess: false } failed
                ? Problems.NotFound("copy_not_found", failed.Error!.Detail)
                : Results.NoContent());

        api.MapGet("/{id:guid}", async (Guid id, Caller caller, CaseAccess access, WorkflowStore store, ApplicationTracker tracker, TaskService tasks,
            TimeProvider clock, CancellationToken ct) =>
        {
            if (await access.CaseOfTaskAsync(caller, id, ct) is not { } instanceId) return TaskNotFound(id);
            TaskRecord task;
            List<string> candidates;
            await using (var db = await store.CreateContextAsync(ct))
            {
                task = await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == id, ct);
                candidates = await db.TaskCandidates.AsNoTracking().Where(c => c.TaskId == id).Select(c => c.UserId).ToListAsync(ct);
            }

            var application = (await tracker.GetAsync(instanceId, caller, ct))!;
            var permissions = task.FieldPermissionsJson is { } json ? JsonSerializer.Deserialize<FormPermissions>(json, FormSchemaJson.Options) : null;
            return Results.Ok(new TaskDetail(TaskView.From(task, clock.GetUtcNow()), application with { AvailableActions = [] }, task.FormId,
                ApplicationTracker.Visible(application.Form, permissions), permissions, tracker.Deadline(task),
                await ActionsAsync(task, caller, candidates, await tasks.DecidesExtensionAsync(task, caller.Id, ct))));
        }).Produces<TaskDetail>();

        api.MapGet("/{id:guid}/return-targets", (Guid id, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
            InScopeAsync(id, caller, access, ct, () => tasks.ReturnTargetsAsync(id, caller.Id, ct)));
        api.MapGet("/{id:guid}/return-preview", (Guid id, string? target, Caller caller, CaseAccess access, TaskService tasks, WorkflowStore store,
            CancellationToken ct) =>
            string.IsNullOrWhiteSpace(target)
                ? Task.FromResult(Problems.Field("target", "validation_failed", "请选择退回到的环节。"))
                : InScopeAsync(id, caller, access, ct, async () => await ReturnPreviewView.OfAsync(await tasks.PreviewReturnAsync(id, caller.Id, target, ct), store, ct)));
        api.MapGet("/{id:guid}/assignable-users", AssignableUsersAsync).Produces<AssignableUsersPage>().LimitQueryText("search", TextLimits.Search, "搜索内容");

        api.MapPost("/{id:guid}/claim", ClaimAsync);
        api.MapPost("/{id:guid}/release", ReleaseAsync);
        api.MapPost("/{id:guid}/approve", ApproveAsync).LimitText<ApproveRequest>(("comment", r => r.Comment, TextLimits.Comment, "审批意见"));
        api.MapPost("/{id:guid}/reject", RejectAsync).LimitText<RejectRequest>(("reason", r => r.Reason, TextLimits.Comment, "不同意的理由"));
        api.MapPost("/{id:guid}/return", ReturnAsync).LimitText<ReturnRequest>(("reason", r => r.Reason, TextLimits.Comment, "退回理由"));
        api.MapPost("/{id:guid}/transfer", TransferAsync).LimitText<ToUserRequest>(("comment", r => r.Comment, TextLimits.Comment, "附言"));
        api.MapPost("/{id:guid}/delegate", DelegateAsync).LimitText<ToUserRequest>(("comment", r => r.Comment, TextLimits.Comment, "附言"));
        api.MapPost("/{id:guid}/resolve", ResolveAsync).LimitText<CommentRequest>(("comment", r => r.Comment, TextLimits.Comment, "办理意见"));
        api.MapPost("/{id:guid}/signers", AddSignerAsync).LimitText<SignerRequest>(("comment", r => r.Comment, TextLimits.Comment, "附言"));
        api.MapDelete("/{id:guid}/signers/{signerTaskId:guid}", RemoveSignerAsync);
        api.MapPost("/{id:guid}/cc", CopyAsync).LimitText<CopyRequest>(("note", r => r.Note, TextLimits.Comment, "抄送说明"));
        api.MapPost("/{id:guid}/comment", CommentAsync).LimitText<CommentRequest>(("comment", r => r.Comment, TextLimits.Comment, "意见"));
        api.MapPost("/{id:guid}/form", SaveFormAsync);
        api.MapPost("/{id:guid}/attachments", async (Guid id, string? field, HttpContext http, Caller caller, CaseAccess access, TaskAttachments attachments,
            AttachmentStore files, CancellationToken ct) =>
            await access.CaseOfTaskAsync(caller, id, ct) is null ? TaskNotFound(id) : await Uploads.ReceiveAsync(http, id, field, caller, attachments, files, ct));
        api.MapPost("/{id:guid}/extension", RequestExtensionAsync).LimitText<ExtensionRequest>(("reason", r => r.Reason, TextLimits.Comment, "延期理由"));
        api.MapPost("/{id:guid}/extension/decision", DecideExtensionAsync).LimitText<ExtensionDecision>(("reason", r => r.Reason, TextLimits.Comment, "审核意见"));

        api.MapPost("/bulk-approve", BulkApproveAsync).LimitText<BulkApproveRequest>(("comment", r => r.Comment, TextLimits.Comment, "审批意见"));
        return app;
    }

    private static Task<IResult> ClaimAsync(Guid id, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.ClaimAsync(id, caller.Id, ct));

    private static Task<IResult> ReleaseAsync(Guid id, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.ReleaseAsync(id, caller.Id, ct));

    private static Task<IResult> ApproveAsync(Guid id, ApproveRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.ApproveAsync(id, caller.Id, request.Comment, request.Form, ct));

    private static Task<IResult> RejectAsync(Guid id, RejectRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.RejectAsync(id, caller.Id, request.Reason, request.Form, ct));

    private static Task<IResult> ReturnAsync(Guid id, ReturnRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.Target)
            ? Task.FromResult(Problems.Field("target", "validation_failed", "请选择退回到的环节。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.ReturnAsync(id, caller.Id, request.Target, request.Reason, ct));

    private static Task<IResult> TransferAsync(Guid id, ToUserRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.ToUser)
            ? Task.FromResult(Problems.Field("toUser", "validation_failed", "请选择转办给谁。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.TransferAsync(id, caller.Id, request.ToUser, request.Comment, ct));

    private static Task<IResult> DelegateAsync(Guid id, ToUserRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.ToUser)
            ? Task.FromResult(Problems.Field("toUser", "validation_failed", "请选择委派给谁。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.DelegateAsync(id, caller.Id, request.ToUser, request.Comment, ct));

    private static Task<IResult> ResolveAsync(Guid id, CommentRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.ResolveAsync(id, caller.Id, request.Comment, ct));

    private static Task<IResult> AddSignerAsync(Guid id, SignerRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.Signer)
            ? Task.FromResult(Problems.Field("signer", "validation_failed", "请选择加签人。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.AddSignerAsync(id, caller.Id, request.Signer, request.Position ?? "", request.Comment, ct));

    private static Task<IResult> RemoveSignerAsync(Guid id, Guid signerTaskId, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.RemoveSignerAsync(id, caller.Id, signerTaskId, null, ct));

    private static Task<IResult> CopyAsync(Guid id, CopyRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        request.Users is not { Count: > 0 }
            ? Task.FromResult(Problems.Field("users", "validation_failed", "请选择抄送人。"))
            : request.Users.Count > MaxCopyUsers
            ? Task.FromResult(Problems.Field("users", "validation_failed", $"一次最多抄送 {MaxCopyUsers} 人。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.CopyAsync(id, caller.Id, request.Users, request.Note, ct));

    private static Task<IResult> CommentAsync(Guid id, CommentRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        InScopeAsync(id, caller, access, ct, () => tasks.CommentAsync(id, caller.Id, request.Comment ?? "", ct));

    private static Task<IResult> SaveFormAsync(Guid id, FormRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        request.Form is null
            ? Task.FromResult(Problems.Field("form", "validation_failed", "请提交表单内容。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.SaveFormAsync(id, caller.Id, request.Form, ct));

    private static Task<IResult> RequestExtensionAsync(Guid id, ExtensionRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        request.WorkingDays is not { } days
            ? Task.FromResult(Problems.Field("workingDays", "validation_failed", "请填写延期的工作日数。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.RequestExtensionAsync(id, caller.Id, days, request.Reason, ct));

    private static Task<IResult> DecideExtensionAsync(Guid id, ExtensionDecision request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct) =>
        request.Approve is not { } approve
            ? Task.FromResult(Problems.Field("approve", "validation_failed", "请选择同意或不同意延期。"))
            : InScopeAsync(id, caller, access, ct, () => tasks.DecideExtensionAsync(id, caller.Id, approve, request.Reason, ct));

    /// <summary>批量同意: each task in the caller's scope is approved in its own transaction; the others answer task_not_found.</summary>
    private static async Task<IResult> BulkApproveAsync(BulkApproveRequest request, Caller caller, CaseAccess access, TaskService tasks, CancellationToken ct)
    {
        if (request.TaskIds is not { Count: > 0 } ids) return Problems.Field("taskIds", "validation_failed", "请选择要批量同意的待办。");
        if (ids.Count > 200) return Problems.Field("taskIds", "validation_failed", "一次最多批量同意 200 条待办。");
        var results = new List<BulkItemResult>();
        foreach (var id in ids.Distinct())
            results.Add(await access.CaseOfTaskAsync(caller, id, ct) is null
                ? new BulkItemResult(id, false, "task_not_found", $"找不到待办 {id}，或您无权查看。")
                : (await tasks.BulkApproveAsync([id], caller.Id, request.Comment, ct))[0]);
        return TypedResults.Ok(results);
    }

    /// <summary>
    /// The people the holder may name in 转办, 委派, 加签 or 抄送 (<see cref="AssignableUsers"/>): by name, with unit, title and
    /// roles, and the units they belong to. 404 outside scope, 403 <c>not_task_holder</c> for someone who does not hold it.
    /// </summary>
    private static async Task<IResult> AssignableUsersAsync(Guid id, string? action, string? search, string? orgUnitId, int? page, int? pageSize,
        Caller caller, CaseAccess access, AssignableUsers users, CancellationToken ct)
    {
        if (await access.CaseOfTaskAsync(caller, id, ct) is null) return TaskNotFound(id);
        AssignAction? kind = action switch
        {
            "transfer" => AssignAction.Transfer,
            "delegate" => AssignAction.Delegate,
            "addSigner" => AssignAction.AddSigner,
            "cc" => AssignAction.Copy,
            _ => null,
        };
        if (kind is null) return Problems.Field("action", "validation_failed", "action 应为 transfer（转办）、delegate（委派）、addSigner（加签）或 cc（抄送）。");
        var found = await users.SearchAsync(id, caller.Id, kind.Value, search, orgUnitId, page ?? 1, pageSize ?? 20, ct);
        return found is not { } result ? TaskNotFound(id) : result.IsSuccess ? TypedResults.Ok(result.Value) : Problems.From(result.Error!);
    }

    /// <summary>
    /// The actions the server will accept from this caller on this task now (the UI offers no other), from the rules the
    /// commands check (<see cref="TaskRecord.DecisionRefusalAsync"/> and its siblings): a pool task's assignee may release
    /// it, a single assignee may not; a delegate may only hand the task back; an extension is asked only of a step with a
    /// deadline and no request pending, and decided only by its approvers.
    /// </summary>
    private static async Task<List<string>> ActionsAsync(TaskRecord task, Caller caller, IReadOnlyList<string> candidates, bool decidesExtension)
    {
        var actions = new List<string>();
        var me = caller.Id;
        ValueTask<bool> IsCandidate() => ValueTask.FromResult(candidates.Contains(me));
        if (task.AssigneeId is null && await task.ClaimRefusalAsync(me, IsCandidate) is null) actions.Add("claim");
        if (task.ReleaseRefusal(me, candidates) is null) actions.Add("release");
        if (task.ResolveRefusal(me) is null)
        {
            actions.AddRange(["resolve", "comment"]);
        }
        else if (await task.DecisionRefusalAsync(me, IsCandidate) is null)
        {
            actions.AddRange(["approve", "reject", "return", "transfer", "delegate", "addSigner", "removeSigner", "cc", "comment", "attach"]);
            if (task.ClockJson is not null && !task.ExtensionPending) actions.Add("requestExtension");
            if (task.FormId is not null) actions.Add("saveForm");
        }

        if (decidesExtension) actions.Add("decideExtension");
        if (task.InitiatorId == me && !actions.Contains("comment")) actions.Add("comment");
        return actions;
    }

    private static async Task<IResult> InScopeAsync<T>(Guid id, Caller caller, CaseAccess access, CancellationToken ct, Func<Task<WorkflowResult<T>>> command)
    {
        if (await access.CaseOfTaskAsync(caller, id, ct) is null) return TaskNotFound(id);
        var result = await command();
        return result.IsSuccess ? TypedResults.Ok(result.Value) : Problems.FromFields(result.Error!);
    }

    private static IResult TaskNotFound(Guid id) => Problems.NotFound("task_not_found", $"找不到待办 {id}，或您无权查看。");
}

/// <summary>
/// The inbox filters of docs/api.md: process, unit (the applicant's or the task's), due within N working days, overdue,
/// level, text (title, 业务编号, applicant unit, summary, process), sort (<c>dueAt</c>, <c>-dueAt</c>, <c>createdAt</c>,
/// <c>-createdAt</c>), paging.
/// </summary>
public sealed record InboxFilter(string? DefinitionId, string? OrgUnitId, int? DueWithin, bool? Overdue, WarningLevel? Level, string? Search, string? Sort,
    int? Page, int? PageSize)
{
    private static readonly Dictionary<string, InboxSort> Sorts = new(StringComparer.Ordinal)
    {
        ["dueAt"] = InboxSort.Due, ["-dueAt"] = InboxSort.DueDescending, ["createdAt"] = InboxSort.Created, ["-createdAt"] = InboxSort.CreatedDescending,
    };

    public IResult? Check() => DueWithin is < 0 or > 365
        ? Problems.Field("dueWithin", "validation_failed", "到期工作日数应在 0 到 365 之间。")
        : Sort is { Length: > 0 } sort && !Sorts.ContainsKey(sort)
        ? Problems.Field("sort", "validation_failed", "排序只能是 dueAt、-dueAt、createdAt 或 -createdAt。")
        : TextLimits.Check(("search", Search, TextLimits.Search, "搜索内容"));

    public InboxQuery Query()
    {
        var (_, take, number) = Paging.Of(Page, PageSize);
        return new InboxQuery
        {
            DefinitionId = DefinitionId, OrgUnitId = OrgUnitId, DueWithinWorkingDays = DueWithin, Level = Overdue == true ? WarningLevel.Red : Level,
            Search = Search, Sort = Sort is { Length: > 0 } sort ? Sorts[sort] : InboxSort.Due, Page = number, PageSize = take,
        };
    }
}

/// <summary>What a return would cancel, with the holders by name.</summary>
public sealed record ReturnPreviewView(string TargetActivityId, string TargetName, bool IsCorrection, IReadOnlyList<ReturnPreviewView.Step> CancelledTasks,
    IReadOnlyList<string> CancelledWaits)
{
    public sealed record Step(Guid Id, string Title, string? Holder);

    public static async Task<WorkflowResult<ReturnPreviewView>> OfAsync(WorkflowResult<ReturnPreview> preview, WorkflowStore store, CancellationToken ct)
    {
        if (!preview.IsSuccess) return preview.Error!;
        var p = preview.Value;
        await using var db = await store.CreateContextAsync(ct);
        var names = await PeopleNames.OfAsync(db, p.CancelledTasks.Select(t => t.AssigneeId), ct);
        return new ReturnPreviewView(p.TargetActivityId, p.TargetName, p.IsCorrection,
            p.CancelledTasks.Select(t => new Step(t.Id, t.Title, t.AssigneeId is { } a ? names.GetValueOrDefault(a, a) : null)).ToList(), p.CancelledWaits);
    }
}
