using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

public sealed record StartableProcess(string DefinitionId, string? Name, string? Description, int Version, string? FormId, string? FormTitle,
    string? ApplicantStep, IReadOnlyList<string> InputKeys);

public sealed record CreateApplicationRequest(string? DefinitionId, JsonObject? Input, JsonObject? Form);

public sealed record FormRequest(JsonObject? Form, string? Comment);

public sealed record ReasonRequest(string? Reason);

public sealed record CommentRequest(string? Comment);

/// <summary>
/// Applications: the processes a user may start, drafts (a case waiting at its applicant step), submission with the
/// form checked on the server, files, withdrawal, reminders, "my applications" and the tracking of one case.
/// </summary>
public static class ApplicationEndpoints
{
    private static readonly string[] CatalogRoles = [Roles.Cataloger, Roles.DepartmentAdmin];

    /// <summary>The header that makes <c>POST /api/applications</c> safe to send again.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The live case the caller started earlier with this idempotency key, if any (a discarded one does not count).</summary>
    private static async Task<Guid?> StartedBeforeAsync(WorkflowStore store, string correlation, string caller, string definitionId, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        return await db.Instances.AsNoTracking()
            .Where(i => i.CorrelationId == correlation && i.Initiator == caller && i.DefinitionId == definitionId && i.ParentInstanceId == null
                        && i.Status != WorkflowStatus.Cancelled)
            .OrderBy(i => i.CreatedAt).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
    }

    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Applications").RequireAuthorization();

        api.MapGet("/applications/processes", async (Caller caller, WorkflowDefinitionStore definitions, FormSchemaRegistry forms, RecordedFactsService facts,
            CancellationToken ct) =>
            Results.Ok(await StartableAsync(caller, definitions, forms, facts, ct)));
        api.MapGet("/forms/{formId}", (string formId, FormSchemaRegistry forms) =>
            forms.TryGet(formId, out var schema) ? Results.Text(FormSchemaJson.Serialize(schema), "application/json; charset=utf-8") : Problems.NotFound("form_not_found", $"找不到表单“{formId}”。"));

        api.MapPost("/applications", async (CreateApplicationRequest request, Caller caller, WorkflowDefinitionStore definitions, FormSchemaRegistry forms,
            RecordedFactsService facts, FormSubmissionChecker checker, WorkflowRuntime runtime, ApplicationTracker tracker, WorkflowStore store,
            ILogger<ApplicationDetail> log, HttpContext http, CancellationToken ct) =>
        {
            var idempotencyKey = http.Request.Headers[IdempotencyHeader].ToString();
            if (idempotencyKey.Length > 100 || idempotencyKey.Any(c => c is < '!' or > '~'))
                return Problems.Field(IdempotencyHeader, "validation_failed", "Idempotency-Key 应为不超过 100 个可见 ASCII 字符的唯一标识。");
            var startable = await StartableAsync(caller, definitions, forms, facts, ct);
            if (string.IsNullOrWhiteSpace(request.DefinitionId)) return Problems.Field("definitionId", "validation_failed", "请选择要申请的流程。");
            if (startable.FirstOrDefault(p => p.DefinitionId == request.DefinitionId) is not { } process)
                return Problems.Field("definitionId", "process_not_startable", $"流程“{request.DefinitionId}”不存在、未发布，或您无权发起。");
            var input = request.Input?.DeepClone().AsObject() ?? [];
            var derived = facts.DerivedVariables(process.DefinitionId);
            foreach (var key in input.Select(p => p.Key).ToList())
            {
                if (derived.Contains(key))
                    return Problems.Field($"input.{key}", "platform_value", $"“{key}”由平台根据资源目录和组织机构记录确定，不能由申请人指定。");
                if (!process.InputKeys.Contains(key)) return Problems.Field($"input.{key}", "validation_failed", $"流程“{process.Name}”没有发起参数“{key}”。");
            }

            // Compiling a new entry: the entry's provider is the cataloger's own unit (an update's comes from the entry it names).
            if (process.DefinitionId is "catalog-municipal" or "catalog-county") input["providerOrgUnitId"] = caller.Unit.Id;
            // A create sent again with the same Idempotency-Key (the client got no answer: a timeout, a restart) answers
            // with the case the first attempt started; the form came with that start, so nothing is left to save.
            var correlation = idempotencyKey.Length == 0 ? null : $"application:{caller.Id}:{idempotencyKey}";
            if (correlation is not null && await StartedBeforeAsync(store, correlation, caller.Id, process.DefinitionId, ct) is { } earlier)
            {
                log.LogInformation("Application {InstanceId} of {DefinitionId} created again by {Actor} with the same idempotency key", earlier, process.DefinitionId, caller.Id);
                return Results.Created($"/api/applications/{earlier}", await tracker.GetAsync(earlier, caller, ct));
            }

            // The form and the platform's facts are checked before the case exists: a refusal leaves nothing behind.
            if (await ApplicantFormAsync(process, request.Form, caller, definitions, forms, checker, store, ct) is not { } checkedForm)
                return Problems.Field("form", "validation_failed", "该流程的申请环节没有表单，不能提交表单内容。");
            if (!checkedForm.IsValid) return Problems.FromFields(TaskService.FormInvalid(checkedForm, process.ApplicantStep));
            foreach (var (name, value) in checkedForm.Variables) input[name] = value?.DeepClone();
            if (process.FormId is not null) input["form"] = checkedForm.Data.DeepClone();

            var started = await runtime.StartAsync(new StartWorkflowRequest(process.DefinitionId) { Initiator = caller.Id, Input = input, CorrelationId = correlation }, ct);
            if (!started.IsSuccess) return Problems.From(started.Error!);
            var id = started.Value.InstanceId;
            log.LogInformation("Application {InstanceId} of {DefinitionId} started by {Actor}", id, process.DefinitionId, caller.Id);
            return Results.Created($"/api/applications/{id}", await tracker.GetAsync(id, caller, ct));
        });

        // What the platform would fill in a new application's form from its records (the provider and share type of the
        // resource the form names, the applicant's unit and level), for the form to show before anything is saved.
        // Nothing is written; the answer is a preview, and the fields are settled again whenever the form is saved.
        api.MapPost("/applications/platform-fields", async (CreateApplicationRequest request, Caller caller, WorkflowDefinitionStore definitions,
            FormSchemaRegistry forms, RecordedFactsService facts, FormSubmissionChecker checker, WorkflowStore store, CancellationToken ct) =>
        {
            var startable = await StartableAsync(caller, definitions, forms, facts, ct);
            if (startable.FirstOrDefault(p => p.DefinitionId == request.DefinitionId) is not { } process)
                return Problems.Field("definitionId", "process_not_startable", $"流程“{request.DefinitionId}”不存在、未发布，或您无权发起。");
            if (process.FormId is null || !forms.TryGet(process.FormId, out var schema)
                || await ApplicantFormAsync(process, request.Form, caller, definitions, forms, checker, store, ct) is not { } checkedForm)
                return Results.Ok(new JsonObject());
            return Results.Ok(new JsonObject(schema.Fields.Where(f => f.IsFilledByPlatform && checkedForm.Data[f.Key] is not null)
                .Select(f => KeyValuePair.Create<string, JsonNode?>(f.Key, checkedForm.Data[f.Key]!.DeepClone()))));
        });

        api.MapGet("/applications/mine", MineAsync).Produces<PageOf<ApplicationView>>().LimitQueryText("search", TextLimits.Search, "搜索内容");

        api.MapGet("/applications/{id:guid}", async (Guid id, Caller caller, CaseAccess access, ApplicationTracker tracker, CancellationToken ct) =>
            await access.CanSeeCaseAsync(caller, id, ct) && await tracker.GetAsync(id, caller, ct) is { } detail ? Results.Ok(detail) : CaseNotFound(id))
            .Produces<ApplicationDetail>();

        api.MapPut("/applications/{id:guid}/draft", (Guid id, FormRequest request, Caller caller, CaseAccess access, TaskService taskService,
            ApplicationTracker tracker, CancellationToken ct) =>
            OnApplicantStepAsync(id, caller, access, tracker, ct, async step =>
                request.Form is null
                    ? Problems.Field("form", "validation_failed", "请提交表单内容。")
                    : await taskService.SaveFormAsync(step, caller.Id, request.Form, ct) is { IsSuccess: false } failed ? Problems.FromFields(failed.Error!) : null));

        api.MapPost("/applications/{id:guid}/submit", (Guid id, FormRequest request, Caller caller, CaseAccess access, TaskService taskService,
            ApplicationTracker tracker, ILogger<ApplicationDetail> log, CancellationToken ct) =>
            OnApplicantStepAsync(id, caller, access, tracker, ct, async step =>
            {
                var submitted = await taskService.ApproveAsync(step, caller.Id, request.Comment ?? "提交申请", request.Form, ct);
                if (!submitted.IsSuccess) return Problems.FromFields(submitted.Error!);
                log.LogInformation("Application {InstanceId} submitted by {Actor}", id, caller.Id);
                return null;
            })).LimitText<FormRequest>(("comment", r => r.Comment, TextLimits.Comment, "提交说明"));

        api.MapDelete("/applications/{id:guid}", async (Guid id, Caller caller, CaseAccess access, ApplicationTracker tracker, WorkflowRuntime runtime,
            CancellationToken ct) =>
        {
            if (!await access.CanSeeCaseAsync(caller, id, ct) || await tracker.GetAsync(id, caller, ct) is not { } detail) return CaseNotFound(id);
            if (detail.Applicant?.Id != caller.Id) return NotApplicant();
            if (!detail.IsDraft)
                return Problems.From(new WorkflowError(WorkflowErrorKind.Conflict, "not_a_draft", "当前不能进行该操作", "申请已提交，不能删除；如需撤回请使用“撤回”。"));
            var cancelled = await runtime.CancelAsync(id, caller.Id, "申请人删除草稿", ct);
            return cancelled.IsSuccess ? Results.NoContent() : Problems.From(cancelled.Error!);
        });

        api.MapPost("/applications/{id:guid}/withdraw", async (Guid id, ReasonRequest request, Caller caller, CaseAccess access, TaskService taskService,
            ApplicationTracker tracker, CancellationToken ct) =>
        {
            if (!await access.CanSeeCaseAsync(caller, id, ct)) return CaseNotFound(id);
            var withdrawn = await taskService.WithdrawAsync(id, caller.Id, request.Reason, ct);
            return withdrawn.IsSuccess ? Results.Ok(await tracker.GetAsync(id, caller, ct)) : Problems.From(withdrawn.Error!);
        }).LimitText<ReasonRequest>(("reason", r => r.Reason, TextLimits.Comment, "撤回原因"));

        api.MapPost("/applications/{id:guid}/urge", async (Guid id, CommentRequest request, Caller caller, CaseAccess access, TaskService taskService,
            CancellationToken ct) =>
        {
            if (!await access.CanSeeCaseAsync(caller, id, ct)) return CaseNotFound(id);
            var urged = await taskService.UrgeAsync(id, caller.Id, request.Comment, ct);
            return urged.IsSuccess ? Results.Ok(new { urged = urged.Value }) : Problems.From(urged.Error!);
        }).LimitText<CommentRequest>(("comment", r => r.Comment, TextLimits.Comment, "催办说明"));

        api.MapPost("/applications/{id:guid}/attachments", async (Guid id, string? field, HttpContext http, Caller caller, CaseAccess access,
            TaskAttachments attachments, AttachmentStore files, WorkflowStore store, CancellationToken ct) =>
        {
            if (!await access.CanSeeCaseAsync(caller, id, ct)) return CaseNotFound(id);
            Guid? taskId;
            await using (var db = await store.CreateContextAsync(ct))
            {
                // The caller's own open step if any (the draft's applicant step), else the case's latest step.
                taskId = await db.Tasks.Where(t => t.InstanceId == id && t.AssigneeId == caller.Id && t.Status == TaskStatuses.Open).Select(t => (Guid?)t.Id)
                    .FirstOrDefaultAsync(ct)
                    ?? await db.Tasks.Where(t => t.InstanceId == id).OrderByDescending(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
            }

            if (taskId is null) return Problems.From(new WorkflowError(WorkflowErrorKind.Conflict, "no_step", "当前不能进行该操作", "该申请没有可附加文件的环节。"));
            return await Uploads.ReceiveAsync(http, taskId.Value, field, caller, attachments, files, ct);
        });

        api.MapGet("/applications/{id:guid}/attachments/{attachmentId:guid}", async (Guid id, Guid attachmentId, HttpContext http, Caller caller,
            CaseAccess access, WorkflowStore store, AttachmentStore files, CancellationToken ct) =>
        {
            if (!await access.CanSeeCaseAsync(caller, id, ct)) return CaseNotFound(id);
            await using var db = await store.CreateContextAsync(ct);
            var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.InstanceId == id, ct);
            return attachment is null
                ? Problems.NotFound("attachment_not_found", $"找不到附件 {attachmentId}。")
                : Uploads.Download(http, attachment, files);
        });
        return app;
    }

    /// <summary>我的申请: the caller's applications, newest first; <c>search</c> looks in the 业务编号 and the summary.</summary>
    internal static async Task<IResult> MineAsync(int? page, int? pageSize, string? search, Caller caller, TaskQueries taskQueries, CancellationToken ct)
    {
        var (_, take, number) = Paging.Of(page, pageSize);
        return TypedResults.Ok(await taskQueries.MyApplicationsAsync(caller.Id, number, take, ct, search));
    }

    /// <summary>
    /// The form a new case starts with, checked as its applicant step would check it (a draft: required fields may be
    /// empty) together with the platform's facts; null when a form was sent to a process whose applicant step has none.
    /// </summary>
    private static async Task<FormSubmissionResult?> ApplicantFormAsync(StartableProcess process, JsonObject? form, Caller caller,
        WorkflowDefinitionStore definitions, FormSchemaRegistry forms, FormSubmissionChecker checker, WorkflowStore store, CancellationToken ct)
    {
        var definition = await definitions.GetAsync(process.DefinitionId, process.Version, ct);
        var step = process.ApplicantStep is null ? null : definition?.Root.Activities.FirstOrDefault(a => a.Id == process.ApplicantStep);
        FormSchema? schema = null;
        if (process.FormId is not null && !forms.TryGet(process.FormId, out schema)) return null;
        if (schema is null && form is { Count: > 0 }) return null;
        schema ??= new FormSchema { Id = "none", Version = 1, Title = "", Sections = [] };
        await using var db = await store.CreateContextAsync(ct);
        // The facts read module tables (the catalog) that join the engine's unit of work: give it a transaction, as a burst
        // has. Nothing is written here; the transaction is rolled back when disposed.
        await using var reading = await db.Database.BeginTransactionAsync(ct);
        return await checker.CheckAsync(db, new FormSubmission(process.DefinitionId, caller.Id, schema,
            step is null ? null : UserTask.Permissions(step), form ?? [], schema.CreateInitialData(), InstanceId: null,
            ApplicantStep: step is not null, Draft: true), ct);
    }

    /// <summary>The published processes the caller may start: those whose applicant fills the first form, and the catalog for catalogers.</summary>
    public static async Task<IReadOnlyList<StartableProcess>> StartableAsync(Caller caller, WorkflowDefinitionStore definitions, FormSchemaRegistry forms,
        RecordedFactsService facts, CancellationToken ct)
    {
        var result = new List<StartableProcess>();
        foreach (var info in (await definitions.ListAsync(ct)).Where(d => d.IsPublished && d.RetractedAt is null).GroupBy(d => d.DefinitionId)
                     .Select(g => g.MaxBy(d => d.Version)!))
        {
            if (await definitions.GetAsync(info.DefinitionId, info.Version, ct) is not { } definition) continue;
            var tasks = definition.Root.Activities.Where(a => a.Type == UserTask.TypeName).ToList();
            var applicant = tasks.FirstOrDefault(a => a.GetInput("assignment")?.Expression.Value?["kind"]?.GetValue<string>() == "initiator");
            var county = caller.Unit.Kind is OrgUnitKinds.CountyDepartment or OrgUnitKinds.CountyAuthority;
            var catalog = definition.DefinitionId == (county ? "catalog-county" : "catalog-municipal") && caller.Roles.Any(CatalogRoles.Contains);
            if (applicant is null && !catalog) continue;
            // A catalog update (004 第十一条) is asked by a cataloger or department admin; which entry, and so which
            // provider, is settled from the catalog by its facts (CatalogChangeFacts), which also check the role there.
            if (definition.DefinitionId == CatalogChangeFacts.Definition && !caller.Roles.Any(CatalogRoles.Contains)) continue;
            var formStep = applicant ?? tasks.FirstOrDefault(a => a.GetInput("form") is not null);
            var formId = formStep?.GetInput("form")?.Expression.Value?.GetValue<string>();
            var derived = facts.DerivedVariables(definition.DefinitionId);
            var inputKeys = definition.Variables.Select(v => v.Name).OfType<string>().Where(n => n != "form" && !derived.Contains(n)).ToList();
            result.Add(new StartableProcess(definition.DefinitionId, definition.Name, definition.Description, definition.Version, formId,
                formId is not null && forms.TryGet(formId, out var schema) ? schema.Title : null, formStep?.Id,
                catalog ? [] : inputKeys));
        }

        return result.OrderBy(p => p.DefinitionId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs a command on the caller's open applicant step of a case in scope, then answers the case as it now stands.</summary>
    private static async Task<IResult> OnApplicantStepAsync(Guid id, Caller caller, CaseAccess access, ApplicationTracker tracker, CancellationToken ct,
        Func<Guid, Task<IResult?>> command)
    {
        if (!await access.CanSeeCaseAsync(caller, id, ct) || await tracker.GetAsync(id, caller, ct) is not { } detail) return CaseNotFound(id);
        if (detail.Applicant?.Id != caller.Id) return NotApplicant();
        var step = detail.CurrentSteps.FirstOrDefault(s => s.AssigneeId == caller.Id && s.Status == TaskStatuses.Open);
        if (step is null)
            return Problems.From(new WorkflowError(WorkflowErrorKind.Conflict, "not_with_applicant", "当前不能进行该操作", "申请当前不在申请人手中（已提交或已办结）。"));
        return await command(step.TaskId) ?? Results.Ok(await tracker.GetAsync(id, caller, ct));
    }

    internal static IResult CaseNotFound(Guid id) => Problems.NotFound("case_not_found", $"找不到申请 {id}，或您无权查看。");

    private static IResult NotApplicant() =>
        Problems.From(new WorkflowError(WorkflowErrorKind.Forbidden, "not_applicant", "无权进行该操作", "只有申请人本人可以进行该操作。"));
}
