using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// A human step: creates the tasks of its assignees, waits for their decision (made through <see cref="TaskService"/>),
/// and completes with exactly one outcome, Approve, Reject or (on breach, when configured) Escalated. Returns (退回) are
/// not outcomes: the engine goes back to the earlier step.
/// </summary>
[Activity(TypeName, Category = "人工环节", DisplayName = "人工审批",
    Description = "把任务交给指定的人（按角色和组织范围、指定人员或表单字段），等待其同意、不同意或退回；支持会签、或签、票签与办理时限。")]
[Outcomes(Approve, Reject, Escalated)]
[Replayable]
public sealed class UserTask : Activity
{
    public const string TypeName = "UserTask";
    public const string Approve = "Approve";
    public const string Reject = "Reject";
    public const string Escalated = "Escalated";
    public const string DecisionBookmark = "UserTask";
    public const string ReminderBookmark = "UserTask.Reminder";
    public const string BreachBookmark = "UserTask.Breach";
    internal const string StageClocksKey = "stageClocks";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    [Input(DisplayName = "任务标题", Description = "例如 '提供方审批：' + variables.form.resourceName", UIHint = UIHints.Code)]
    public Input<string?> Title { get; set; } = default!;

    [Input(DisplayName = "办理人", Description = "按角色与组织范围、指定人员、表单字段或申请人", UIHint = "assignment-picker", Required = true, SupportsExpression = false)]
    public Input<AssignmentSpec> Assignment { get; set; } = default!;

    [Input(DisplayName = "审批方式", UIHint = UIHints.Dropdown, DefaultValue = ApprovalModes.Single,
        Options = [ApprovalModes.Single, ApprovalModes.All, ApprovalModes.Any, ApprovalModes.Ratio], SupportsExpression = false)]
    public Input<string> ApprovalMode { get; set; } = default!;

    [Input(DisplayName = "票签通过比例", Description = "0 到 1 之间，例如 0.6", DefaultValue = 0.5, SupportsExpression = false)]
    public Input<double> ApprovalRatio { get; set; } = default!;

    [Input(DisplayName = "表单", UIHint = "form-picker", SupportsExpression = false)]
    public Input<string?> Form { get; set; } = default!;

    [Input(DisplayName = "字段权限", Description = "{ default: readOnly, fields: { 字段: editable / readOnly / hidden } }；申请人环节默认可编辑，其余默认只读",
        UIHint = "field-permissions", SupportsExpression = false)]
    public Input<JsonObject?> FieldPermissions { get; set; } = default!;

    [Input(DisplayName = "办理时限", Description = "工作日数、预警、补正规则与超期升级", UIHint = "sla-editor", SupportsExpression = false)]
    public Input<SlaSpec?> Sla { get; set; } = default!;

    [Input(DisplayName = "抄送", UIHint = "assignment-picker", SupportsExpression = false)]
    public Input<AssignmentSpec?> CopyTo { get; set; } = default!;

    [Output(DisplayName = "决定")]
    public Output<string> Decision { get; set; } = default!;

    [Output(DisplayName = "意见")]
    public Output<string?> Comment { get; set; } = default!;

    [Output(DisplayName = "决定人")]
    public Output<List<string>> DecidedBy { get; set; } = default!;

    protected internal override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var resolver = context.GetRequiredService<AssignmentResolver>();
        var facts = CaseFacts.Of(context.Execution);
        var spec = context.Get(Assignment) ?? throw new InvalidOperationException("未指定办理人。");
        var assignment = await resolver.ResolveAsync(context.Db, facts, spec, context.CancellationToken);
        if (assignment.Users.Count == 0) throw new InvalidOperationException("无人可办理该环节，且兜底办理人也无人（请先为兜底角色配置人员）。");

        var mode = context.Get(ApprovalMode) ?? ApprovalModes.Single;
        var title = context.Get(Title) is { Length: > 0 } t ? t : context.Node.Name ?? context.ActivityId;
        var bookmarkId = context.CreateBookmark(DecisionBookmark, payload: new JsonObject { ["title"] = title });
        var now = context.Clock.GetUtcNow();

        var sla = context.Get(Sla);
        LegalClock? clock = null;
        DateTimeOffset? yellowAt = null;
        if (sla is not null)
        {
            var calendar = context.GetRequiredService<WorkingDayCalendar>();
            clock = StartOrResumeClock(context, calendar, sla, now);
            yellowAt = SlaTimes.YellowAt(calendar, clock);
            if (sla.Remind && yellowAt > now) context.CreateBookmark(ReminderBookmark, dueAt: yellowAt);
            context.CreateBookmark(BreachBookmark, dueAt: clock.Deadline.AddSeconds(1));
        }

        var users = mode == ApprovalModes.Single ? [null] : assignment.Users.Cast<string?>().ToList();
        var applicant = await resolver.ApplicantUnitAsync(context.Db, facts, context.CancellationToken);
        var businessNumber = context.Execution.Instance.BusinessNumber ?? await ParentNumberAsync(context);
        foreach (var user in users)
        {
            var task = new TaskRecord
            {
                Id = Guid.NewGuid(),
                InstanceId = context.InstanceId,
                BookmarkId = bookmarkId,
                ActivityId = context.ActivityId,
                ActivityExecutionId = context.ExecutionId,
                DefinitionId = context.DefinitionId,
                ProcessName = context.Execution.Graph.Definition.Name,
                Title = title,
                Status = TaskStatuses.Open,
                SignerKind = SignerKinds.Primary,
                ApprovalMode = mode,
                ApprovalRatio = mode == ApprovalModes.Ratio ? context.Get(ApprovalRatio) : null,
                AssigneeId = user ?? (assignment.Users.Count == 1 ? assignment.Users[0] : null),
                OrgUnitId = assignment.OrgUnitId,
                InitiatorId = context.Initiator,
                ApplicantOrgUnitId = applicant?.Id,
                ApplicantOrgUnitName = applicant?.Name,
                BusinessNumber = businessNumber,
                Summary = context.Execution.Instance.Summary,
                FormId = context.Get(Form),
                FieldPermissionsJson = PermissionsJson(context.Get(FieldPermissions), spec),
                DueAt = clock?.Deadline.UtcDateTime,
                YellowAt = yellowAt?.UtcDateTime,
                ClockJson = clock is null ? null : JsonSerializer.Serialize(clock, Json),
                ProvisionalYears = clock is { IsProvisional: true } ? string.Join(',', clock.ProvisionalYears.Order()) : null,
                AssignmentNote = assignment.Note,
                CreatedAt = context.Execution.Now,
            };
            context.AddEntity(task);
            foreach (var candidate in user is null ? assignment.Users : [user])
                context.AddEntity(new TaskCandidateRecord { TaskId = task.Id, UserId = candidate });
            context.AddEntity(TaskAudit.Action(task, TaskActions.Created, "system", context.Execution.Now,
                assignment.Note ?? (context.ScheduledWith?["reason"]?.GetValue<string>() is { } reason ? $"退回重办：{reason}" : null)));
            foreach (var holder in user is null ? assignment.Users : [user])
                context.EnqueueMessage("notify.task-assigned", Notice(holder, task), $"{task.Id:N}:assigned:{holder}");
        }

        if (assignment.Note is not null) context.AddJournalNote(assignment.Note);
        if (context.Get(CopyTo) is { } copySpec)
        {
            var copied = await resolver.ResolveAsync(context.Db, facts, copySpec with { Fallback = copySpec.Fallback ?? copySpec }, context.CancellationToken);
            foreach (var user in copied.Users)
                context.AddEntity(new CarbonCopyRecord { Id = Guid.NewGuid(), InstanceId = context.InstanceId, UserId = user, CopiedBy = "system", CreatedAt = context.Execution.Now, Note = title });
        }
    }

    protected internal override async ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        switch (context.ResumedBookmark!.Name)
        {
            case DecisionBookmark:
                var payload = context.ResumePayload ?? throw new InvalidOperationException("审批结果为空。");
                var decision = payload["decision"]!.GetValue<string>();
                context.Set(Decision, decision);
                context.Set(Comment, payload["comment"]?.GetValue<string>());
                context.Set(DecidedBy, payload["decidedBy"]?.Deserialize<List<string>>() ?? []);
                context.Complete(decision);
                break;
            case ReminderBookmark:
                await TaskNotifications.RemindAsync(context, context.CancellationToken);
                break;
            case BreachBookmark:
                var escalate = await TaskNotifications.BreachAsync(context, context.Get(Sla), context.CancellationToken);
                if (escalate)
                {
                    context.Set(Decision, Escalated);
                    context.Complete(Escalated);
                }

                break;
        }
    }

    protected internal override IEnumerable<DefinitionError> Validate(ActivityNode node, ActivityValidationContext context)
    {
        var raw = node.GetInput("assignment")?.Expression.Value;
        AssignmentSpec? spec = null;
        string? problem = null;
        try
        {
            spec = raw?.Deserialize<AssignmentSpec>(Json);
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
        }

        if (problem is not null || (raw is not null && spec is null))
            yield return new DefinitionError("invalid_assignment", $"环节“{node.Name ?? node.Id}”的办理人设置无法识别：{problem}", node.Id, "assignment");
        else if (spec is not null && AssignmentProblem(spec, context.GetRequiredService<AssignmentScopes>()) is { } message)
            yield return new DefinitionError("invalid_assignment", $"环节“{node.Name ?? node.Id}”的办理人设置有误：{message}", node.Id, "assignment");

        if (node.GetInput("approvalRatio")?.Expression.Value is JsonValue ratioValue
            && (!ratioValue.TryGetValue<double>(out var ratio) || double.IsNaN(ratio) || ratio <= 0 || ratio > 1))
            yield return new DefinitionError("invalid_approval_ratio", $"环节“{node.Name ?? node.Id}”的票签通过比例应大于 0 且不超过 1（例如 0.6）。", node.Id, "approvalRatio");

        if (node.GetInput("sla")?.Expression.Value is { } slaNode)
        {
            SlaSpec? sla = null;
            try
            {
                sla = slaNode.Deserialize<SlaSpec>(Json);
            }
            catch (JsonException)
            {
            }

            if (sla is null || sla.WorkingDays <= 0 || sla.YellowWhenRemaining < 0)
                yield return new DefinitionError("invalid_sla", $"环节“{node.Name ?? node.Id}”的办理时限应为正整数个工作日。", node.Id, "sla");
        }
    }

    private static string? AssignmentProblem(AssignmentSpec spec, AssignmentScopes scopes) => spec.Kind switch
    {
        "role" when string.IsNullOrWhiteSpace(spec.Role) => "按角色分配时必须指定角色",
        "role" when !scopes.IsKnown(spec.Scope) => $"未知的组织范围“{spec.Scope}”",
        "role" when spec.Scope == OrgUnitScope.ScopeName && string.IsNullOrWhiteSpace(spec.OrgUnit) => "指定单位时必须填写单位",
        "users" when spec.Users is not { Count: > 0 } => "指定人员时至少填写一人",
        "formField" when string.IsNullOrWhiteSpace(spec.Field) => "按表单字段分配时必须指定字段",
        "role" or "users" or "formField" or "initiator" => spec.Fallback is null ? null : AssignmentProblem(spec.Fallback, scopes),
        _ => $"未知的分配方式“{spec.Kind}”",
    };

    /// <summary>A case run for another (a provincial request's child case) is listed under its parent's 业务编号.</summary>
    private static async Task<string?> ParentNumberAsync(ActivityExecutionContext context) =>
        context.Execution.Instance.ParentInstanceId is { } parent
            ? await context.Db.Instances.Where(i => i.Id == parent).Select(i => i.BusinessNumber).FirstOrDefaultAsync(context.CancellationToken)
            : null;

    /// <summary>A step done before keeps its stopped clock; the correction rule decides what coming back costs.</summary>
    private static LegalClock StartOrResumeClock(ActivityExecutionContext context, WorkingDayCalendar calendar, SlaSpec sla, DateTimeOffset now)
    {
        if (context.InstanceData[StageClocksKey]?[context.ActivityId] is JsonNode stashed)
        {
            (context.InstanceData[StageClocksKey] as JsonObject)!.Remove(context.ActivityId);
            var previous = stashed.Deserialize<LegalClock>(Json);
            if (previous is not null && previous.Resubmit(calendar, now) is { IsSuccess: true } resumed) return resumed.Value.Clock;
        }

        return LegalClock.Start(calendar, now, sla.WorkingDays, sla.CorrectionRule, sla.YellowWhenRemaining).Clock;
    }

    /// <summary>The step's field permissions as stored on its tasks: the applicant edits the form, approvers read it, unless the definition says otherwise.</summary>
    private static string PermissionsJson(JsonObject? given, AssignmentSpec assignment) =>
        JsonSerializer.Serialize(Permissions(given, assignment.Kind), Forms.FormSchemaJson.Options);

    /// <summary>A step's field permissions: as its definition gives them, else editable for the applicant's own step and read-only otherwise.</summary>
    public static Forms.FormPermissions Permissions(JsonObject? given, string? assignmentKind) =>
        given?.Deserialize<Forms.FormPermissions>(Forms.FormSchemaJson.Options)
        ?? (assignmentKind == "initiator" ? Forms.FormPermissions.AllEditable : new Forms.FormPermissions(null, Forms.FieldPermission.ReadOnly));

    /// <summary>The field permissions of a step whose permissions are a literal in its definition (the applicant's steps are).</summary>
    public static Forms.FormPermissions Permissions(Definitions.ActivityNode step) =>
        Permissions(step.GetInput("fieldPermissions")?.Expression is { IsJavaScript: false, Value: JsonObject given } ? given : null,
            step.GetInput("assignment")?.Expression.Value?["kind"]?.GetValue<string>());

    /// <summary>The applicant's own step (assignment <c>initiator</c>): filling and sending the application, or correcting it.</summary>
    internal static bool IsApplicantStep(ActivityNode node) =>
        node.Type == TypeName && node.GetInput("assignment")?.Expression.Value?["kind"]?.GetValue<string>() == "initiator";

    internal static JsonObject Notice(string user, TaskRecord task) => new()
    {
        ["user"] = user,
        ["taskId"] = task.Id.ToString(),
        ["instanceId"] = task.InstanceId.ToString(),
        ["title"] = task.Title,
        ["dueAt"] = task.DueAt is { } due ? new DateTimeOffset(due, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm") : null,
    };
}
