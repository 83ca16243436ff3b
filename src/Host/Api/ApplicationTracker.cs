using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

public sealed record PersonView(string Id, string? DisplayName, string? OrgUnitId, string? OrgUnitName);

public sealed record CurrentStepView(Guid TaskId, string ActivityId, string Title, string Status, string? AssigneeId, string? AssigneeName,
    IReadOnlyList<PersonView> Candidates, string? OrgUnitId, string? OrgUnitName, DateTimeOffset? DueAt, WarningLevel? Level, ClockStatus? Deadline);

public sealed record TaskActionView(Guid Id, Guid? TaskId, string Action, string Actor, string? ActorName, DateTimeOffset At, string? Comment);

public sealed record AttachmentView(Guid Id, Guid InstanceId, Guid? TaskId, string FileName, string ContentType, long Size, string Sha256,
    string UploadedBy, DateTimeOffset UploadedAt)
{
    public string? UploadedByName { get; init; }

    public static AttachmentView From(AttachmentRecord a) => new(a.Id, a.InstanceId, a.TaskId, a.FileName, a.ContentType, a.Size, a.Sha256,
        a.UploadedBy, new DateTimeOffset(DateTime.SpecifyKind(a.UploadedAt, DateTimeKind.Utc)));
}

/// <summary>
/// One step of the platform's own work (账号开通, 数据交换…) as the tracking page shows it; a table or file exchange carries its
/// run (<c>exc_runs</c>: rows or files and bytes done of total, progress 0–1, checksum).
/// </summary>
public sealed record ExchangeStepView(string ActivityId, string? ActivityType, string? Name, string Status, string? Message, DateTimeOffset At,
    ExchangeRunView? Run = null);

public sealed record ApplicationDetail(
    Guid InstanceId,
    string DefinitionId,
    string? ProcessName,
    int DefinitionVersion,
    string Status,
    bool IsDraft,
    PersonView? Applicant,
    JsonObject Input,
    JsonObject? Form,
    string? FormId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<CurrentStepView> CurrentSteps,
    ClockStatus? CaseClock,
    IReadOnlyList<TaskView> Steps,
    IReadOnlyList<TaskActionView> History,
    IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<ExchangeStepView> Exchange,
    IReadOnlyList<string> AvailableActions,
    IReadOnlyList<ChildCaseView> Children)
{
    /// <summary>业务编号, given when the case was submitted; null for a draft.</summary>
    public string? BusinessNumber { get; init; }

    public string? Summary { get; init; }

    /// <summary>The steps with their states, and what may come next (<see cref="CaseProgress"/>).</summary>
    public ProgressView? Progress { get; init; }
}

/// <summary>A case the platform started on the applicant's behalf (a provincial request already proxied: the ordinary process).</summary>
public sealed record ChildCaseView(Guid InstanceId, string DefinitionId, string? ProcessName, string Status, DateTimeOffset CreatedAt);

/// <summary>
/// The tracking view of a case: where it is, who holds it, its deadlines with the working-day explanation, what happened
/// so far, its files and the progress of the platform's exchange steps. Callers check scope first (<see cref="CaseAccess"/>).
/// </summary>
public sealed class ApplicationTracker(WorkflowStore store, TaskQueries tasks, WorkflowQueries queries, WorkingDayCalendar calendar, TimeProvider clock,
    IExchangeProgress progress, FormVisibility visibility, WorkflowDefinitionStore definitions, CaseProgress caseProgress)
{
    private static readonly JsonSerializerOptions ClockJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task<ApplicationDetail?> GetAsync(Guid instanceId, Caller caller, CancellationToken ct)
    {
        var instance = await queries.GetInstanceAsync(instanceId, ct);
        if (instance is null) return null;
        await using var db = await store.CreateContextAsync(ct);
        var labels = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId)
            .Join(db.Definitions, i => i.DefinitionVersionId, d => d.Id, (i, d) => new { d.Name, i.BusinessNumber, i.Summary }).FirstOrDefaultAsync(ct);
        var processName = labels?.Name;
        var definition = await definitions.GetAsync(instance.DefinitionId, instance.DefinitionVersion, ct);
        // A case started on the applicant's behalf is tracked with its parent: its steps and history are shown here too.
        var children = await (from i in db.Instances.AsNoTracking()
                              join d in db.Definitions.AsNoTracking() on i.DefinitionVersionId equals d.Id
                              where i.ParentInstanceId == instanceId
                              orderby i.CreatedAt
                              select new { i.Id, i.DefinitionId, d.Name, i.Status, i.CreatedAt }).ToListAsync(ct);
        var family = children.Select(c => c.Id).Prepend(instanceId).ToList();
        var records = await db.Tasks.AsNoTracking().Where(t => family.Contains(t.InstanceId)).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var own = records.Where(t => t.InstanceId == instanceId).ToList();
        var now = clock.GetUtcNow();
        var open = records.Where(t => t.Status is TaskStatuses.Open or TaskStatuses.Waiting).ToList();
        var openIds = open.Select(t => t.Id).ToList();
        var candidates = (await db.TaskCandidates.AsNoTracking().Where(c => openIds.Contains(c.TaskId)).ToListAsync(ct)).ToLookup(c => c.TaskId, c => c.UserId);
        var actions = await db.TaskActions.AsNoTracking().Where(a => family.Contains(a.InstanceId)).OrderBy(a => a.At).ThenBy(a => a.Sequence).ToListAsync(ct);
        var attachmentRows = await db.Attachments.AsNoTracking().Where(a => family.Contains(a.InstanceId)).OrderBy(a => a.UploadedAt).ToListAsync(ct);
        var userIds = actions.Select(a => a.Actor).Concat(records.Select(t => t.AssigneeId).OfType<string>()).Concat(candidates.SelectMany(c => c))
            .Concat(records.Select(t => t.CompletedBy).OfType<string>()).Concat(attachmentRows.Select(a => a.UploadedBy))
            .Append(instance.Initiator ?? "").Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var unitIds = users.Values.Select(u => u.OrgUnitId).Concat(records.Select(t => t.OrgUnitId).OfType<string>()).Distinct().ToList();
        var units = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        PersonView Person(string id) => users.TryGetValue(id, out var u)
            ? new PersonView(u.Id, u.DisplayName, u.OrgUnitId, units.GetValueOrDefault(u.OrgUnitId))
            : new PersonView(id, NameOf(id) == id ? null : NameOf(id), null, null);
        string NameOf(string id) => users.TryGetValue(id, out var u) ? u.DisplayName : PeopleNames.SystemActor(id) ?? id;

        var isDraft = instance.Status == WorkflowStatus.Suspended && own.All(t => t.Status != TaskStatuses.Completed)
            && own.Any(t => t.Status is TaskStatuses.Open && t.AssigneeId == instance.Initiator && t.InitiatorId == instance.Initiator);
        // The form as this caller may read it (hidden fields and other steps' drafts left out), and the start input without
        // the form it started with.
        var visible = await visibility.ForAsync(db, caller, instanceId, instance.DefinitionId, instance.DefinitionVersion, instance.Initiator, own, ct);
        var form = visible(instance.Variables["form"] as JsonObject ?? instance.Input["form"] as JsonObject);
        var input = new JsonObject(instance.Input.Where(p => p.Key != "form").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var formId = own.FirstOrDefault(t => t.AssigneeId == instance.Initiator && t.FormId is not null)?.FormId ?? own.FirstOrDefault(t => t.FormId is not null)?.FormId;
        var current = open.Select(t => new CurrentStepView(t.Id, t.ActivityId, t.Title, t.Status, t.AssigneeId,
            t.AssigneeId is { } a ? Person(a).DisplayName : null, candidates[t.Id].Select(Person).ToList(), t.OrgUnitId,
            t.OrgUnitId is { } unit ? units.GetValueOrDefault(unit) : null, Utc(t.DueAt), TaskView.LevelOf(t, now), Deadline(t))).ToList();
        var history = actions.Select(a => new TaskActionView(a.Id, a.TaskId, a.Action, a.Actor, NameOf(a.Actor),
            new DateTimeOffset(DateTime.SpecifyKind(a.At, DateTimeKind.Utc)), a.Comment)).ToList();
        var attachments = attachmentRows.Select(a => AttachmentView.From(a) with { UploadedByName = NameOf(a.UploadedBy) }).ToList();
        var exchange = await ExchangeAsync(instanceId, definition, ct);
        var waiting = (await queries.GetOpenBookmarksAsync(instanceId, ct)).Select(b => b.ActivityId).ToHashSet(StringComparer.Ordinal);
        var progressView = definition is null ? null : await caseProgress.BuildAsync(db, definition, instance, own, exchange, waiting,
            t => t.AssigneeId is { } assignee ? [NameOf(assignee)] : candidates[t.Id].Select(NameOf), NameOf,
            unit => unit is null ? null : units.GetValueOrDefault(unit) ?? unit, ct);

        var available = new List<string>();
        if (instance.Initiator == caller.Id)
        {
            if (isDraft) available.AddRange(["saveDraft", "submit", "discard", "attach"]);
            else if (instance.Status == WorkflowStatus.Suspended)
            {
                if (open.Any(t => t.AssigneeId == caller.Id && t.InstanceId == instanceId)) available.Add("submit");
                if (await WithdrawRule.RefusalAsync(db, instanceId, instance.Initiator, caller.Id, ct) is null) available.Add("withdraw");
                if (open.Any(t => t.Status == TaskStatuses.Open && t.AssigneeId != caller.Id && t.InstanceId == instanceId)) available.Add("urge");
                available.AddRange(["attach", "comment"]);
            }
        }

        return new ApplicationDetail(instance.Id, instance.DefinitionId, processName, instance.DefinitionVersion, instance.Status, isDraft,
            instance.Initiator is { } initiator ? Person(initiator) : null, input, form, formId, instance.CreatedAt, instance.FinishedAt, current,
            await tasks.CaseClockAsync(instanceId, ct), records.Select(t => TaskView.From(t, now)).ToList(), history, attachments,
            exchange, available,
            children.Select(c => new ChildCaseView(c.Id, c.DefinitionId, c.Name, c.Status, new DateTimeOffset(DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc)))).ToList())
        {
            BusinessNumber = labels?.BusinessNumber, Summary = labels?.Summary, Progress = progressView,
        };
    }

    /// <summary>The step's own legal clock, read now, with the calendar's explanation of how its deadline was counted.</summary>
    public ClockStatus? Deadline(TaskRecord task) =>
        task.ClockJson is null ? null : JsonSerializer.Deserialize<LegalClock>(task.ClockJson, ClockJson)?.Status(calendar, clock.GetUtcNow());

    /// <summary>
    /// The platform's own steps (types <c>Pds.*</c>): the last word of each, from the journal and the open incidents, with
    /// its exchange run; a run not yet in the journal (its step's burst has not committed) shows as Running.
    /// </summary>
    private async Task<IReadOnlyList<ExchangeStepView>> ExchangeAsync(Guid instanceId, WorkflowDefinition? definition, CancellationToken ct)
    {
        var journal = await queries.GetJournalAsync(instanceId, ct);
        var incidents = (await queries.GetIncidentsAsync(instanceId, ct)).Where(i => i.ResolvedAt is null).ToList();
        var bookmarks = await queries.GetOpenBookmarksAsync(instanceId, ct);
        var runs = (await progress.OfInstanceAsync(instanceId, ct)).ToDictionary(r => r.ActivityId, StringComparer.Ordinal);
        var steps = journal.Where(j => j.ActivityId is not null && j.ActivityType is { } type && type.StartsWith("Pds.", StringComparison.Ordinal)
                && !type.StartsWith("Pds.Catalog.", StringComparison.Ordinal))
            .GroupBy(j => j.ActivityId!)
            .Select(g =>
            {
                var last = g.MaxBy(j => j.Sequence)!;
                var run = runs.GetValueOrDefault(g.Key);
                var status = incidents.Any(i => i.ActivityId == g.Key) ? "Faulted"
                    : run?.Status == ExchangeRunStatus.Running ? "Running"
                    : bookmarks.Any(b => b.ActivityId == g.Key) ? "Waiting"
                    : "Done";
                var message = incidents.FirstOrDefault(i => i.ActivityId == g.Key)?.Message ?? last.Message;
                var name = definition?.Root.Activities.FirstOrDefault(a => a.Id == g.Key)?.Name ?? run?.ResourceName ?? "平台处理";
                return new ExchangeStepView(g.Key, last.ActivityType, name, status, message, last.Timestamp, run);
            })
            .ToList();
        steps.AddRange(runs.Values.Where(r => steps.All(s => s.ActivityId != r.ActivityId))
            .Select(r => new ExchangeStepView(r.ActivityId, null, r.ResourceName, r.Status == ExchangeRunStatus.Failed ? "Faulted" : "Running",
                r.Error ?? r.StatusName, r.UpdatedAt, r)));
        return steps.OrderBy(s => s.At).ToList();
    }

    /// <summary>The case's form as a task may show it: hidden fields removed.</summary>
    public static JsonObject? Visible(JsonObject? form, FormPermissions? permissions)
    {
        if (form is null || permissions is null) return form?.DeepClone().AsObject();
        return new JsonObject(form.Where(p => permissions.For(p.Key) != FieldPermission.Hidden).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
