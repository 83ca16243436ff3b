using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Audit;

/// <summary>
/// One journal entry as the audit record shows it: who (id and name), what (in Chinese), when, the comment, the inputs
/// and outputs, and for a decided human step its time limit, deadline and the working days it actually took.
/// </summary>
public sealed record AuditRecordEntry(
    long Sequence,
    DateTimeOffset Timestamp,
    string Event,
    string What,
    string? ActivityId,
    string? ActivityName,
    string? ActivityType,
    string? Actor,
    string? ActorName,
    string? Outcome,
    string? Comment,
    JsonNode? Inputs,
    JsonNode? Outputs,
    string? Message,
    int? LimitWorkingDays,
    DateTimeOffset? Deadline,
    int? ActualWorkingDays,
    bool? Overdue)
{
    /// <summary>The outcome as users read it (同意, 不同意, a Switch case's name); a task command's outcome is the command.</summary>
    public string? OutcomeName { get; init; }
}

public sealed record AuditRecord(
    Guid InstanceId,
    string DefinitionId,
    string? ProcessName,
    int DefinitionVersion,
    string Status,
    string? CorrelationId,
    string? Applicant,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset ExportedAt,
    IReadOnlyList<AuditRecordEntry> Entries)
{
    /// <summary>The case's 业务编号 (null for a draft or a case from before numbering).</summary>
    public string? BusinessNumber { get; init; }

    public string? ApplicantName { get; init; }
    public string? ApplicantUnitName { get; init; }
}

public sealed class AuditRecordExport(WorkflowStore store, WorkingDayCalendar calendar, TimeProvider clock)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static readonly Dictionary<string, string> What = new(StringComparer.Ordinal)
    {
        [JournalEvents.WorkflowStarted] = "发起流程",
        [JournalEvents.WorkflowFinished] = "流程结束",
        [JournalEvents.WorkflowFaulted] = "流程故障",
        [JournalEvents.WorkflowCancelled] = "流程取消",
        [JournalEvents.ActivityScheduled] = "进入环节",
        [JournalEvents.ActivityStarted] = "开始执行",
        [JournalEvents.ActivityResumed] = "继续办理",
        [JournalEvents.ActivitySuspended] = "等待办理",
        [JournalEvents.ActivityWaiting] = "等待汇聚",
        [JournalEvents.ActivityCompleted] = "环节完成",
        [JournalEvents.ActivityFaulted] = "环节出错",
        [JournalEvents.ActivityCancelled] = "环节取消",
        [JournalEvents.IncidentRetried] = "故障重试",
        [JournalEvents.Note] = "备注",
        [JournalEvents.TaskAction] = "任务操作",
        [JournalEvents.VariablesChanged] = "变量变更",
        [JournalEvents.InstanceMigrated] = "版本迁移",
    };

    public async Task<AuditRecord?> GetAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (instance is null) return null;
        var entries = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(cancellationToken);
        var actors = entries.Select(e => e.Actor).Append(instance.Initiator).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => actors.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var versions = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == instance.DefinitionId).ToListAsync(cancellationToken);
        var nodes = versions.SelectMany(v => DefinitionSerializer.Deserialize(v.Json).Root.Activities).ToList();
        var nodeNames = nodes.Where(a => a.Name is not null).GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.Last().Name);
        var caseNames = nodes.Where(a => a.Type == Activities.BuiltIn.BuiltInTypes.Switch)
            .SelectMany(a => (Runtime.ActivityExecutionContext.Convert<List<Activities.BuiltIn.SwitchCase>>(a.GetInput("cases")?.Expression.Value) ?? [])
                .Where(c => c.DisplayName is { Length: > 0 }).Select(c => (Key: (a.Id, c.Label), Name: c.DisplayName!)))
            .GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Name);
        var applicant = instance.Initiator is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == instance.Initiator)
                .Select(u => new { u.DisplayName, Unit = db.OrgUnits.Where(o => o.Id == u.OrgUnitId).Select(o => o.Name).FirstOrDefault() })
                .FirstOrDefaultAsync(cancellationToken);
        var current = versions.FirstOrDefault(v => v.Id == instance.DefinitionVersionId);

        var rows = entries.Select(e =>
        {
            var outputs = Parse(e.OutputsJson);
            var comment = e.EventName == JournalEvents.TaskAction ? e.Message
                : (outputs as JsonObject)?["comment"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            var (limit, deadline, actual, overdue) = e.EventName == JournalEvents.ActivityCompleted && e.ActivityType == UserTask.TypeName
                ? Timing(tasks.Where(t => t.ActivityExecutionId == e.ActivityExecutionId).ToList(), e)
                : (null, null, null, null);
            return new AuditRecordEntry(e.Sequence, AuditQueries.Utc(e.Timestamp).ToOffset(Beijing), e.EventName, What.GetValueOrDefault(e.EventName, e.EventName),
                e.ActivityId, e.ActivityId is null ? null : nodeNames.GetValueOrDefault(e.ActivityId), e.ActivityType, e.Actor,
                e.Actor is null ? null : names.GetValueOrDefault(e.Actor), e.Outcome, comment, Parse(e.InputsJson), outputs, e.Message,
                limit, deadline, actual, overdue)
            {
                OutcomeName = e.Outcome is null || e.EventName == JournalEvents.TaskAction ? null
                    : e.ActivityId is not null && caseNames.TryGetValue((e.ActivityId, e.Outcome), out var caseName) ? caseName : Activities.OutcomeNames.Of(e.Outcome),
            };
        }).ToList();
        return new AuditRecord(instance.Id, instance.DefinitionId, current?.Name, instance.DefinitionVersion, instance.Status, instance.CorrelationId,
            instance.Initiator, AuditQueries.Utc(instance.CreatedAt).ToOffset(Beijing), instance.FinishedAt is { } f ? AuditQueries.Utc(f).ToOffset(Beijing) : null,
            clock.GetUtcNow().ToOffset(Beijing), rows)
        {
            BusinessNumber = instance.BusinessNumber, ApplicantName = applicant?.DisplayName, ApplicantUnitName = applicant?.Unit,
        };
    }

    /// <summary>
    /// The step's limit and actual duration in working days, counted like the deadline: after the day the task was
    /// created, up to the day it was decided.
    /// </summary>
    private (int?, DateTimeOffset?, int?, bool?) Timing(IReadOnlyList<TaskRecord> tasks, JournalRecord completed)
    {
        var task = tasks.Where(t => t.DueAt is not null).OrderByDescending(t => t.CompletedAt).FirstOrDefault();
        if (task?.DueAt is not { } due) return (null, null, null, null);
        var created = AuditQueries.Utc(task.CreatedAt);
        var done = AuditQueries.Utc(task.CompletedAt ?? completed.Timestamp);
        var deadline = AuditQueries.Utc(due);
        try
        {
            return (calendar.WorkingDaysBetween(created, deadline).WorkingDays, deadline.ToOffset(Beijing),
                done < created ? 0 : calendar.WorkingDaysBetween(created, done).WorkingDays, done > deadline);
        }
        catch (ArgumentOutOfRangeException)
        {
            return (null, deadline.ToOffset(Beijing), null, done > deadline);
        }
    }

    private static readonly string[] Headers =
        ["序号", "时间", "事件", "环节编号", "环节名称", "环节类型", "操作人", "操作人姓名", "结果", "意见", "输入", "输出", "说明", "时限（工作日）", "截止时间", "实际用时（工作日）", "是否超期"];

    /// <summary>The record as a table for <see cref="Exports.TabularFile"/>: one row per entry, times in Beijing time.</summary>
    public static (IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows) Table(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var rows = record.Entries.Select(e => (IReadOnlyList<object?>)
        [
            e.Sequence, Time(e.Timestamp), e.What, e.ActivityId, e.ActivityName, e.ActivityType, e.Actor, e.ActorName,
            e.Outcome, e.Comment, e.Inputs?.ToJsonString(JsonDefaults.Stored), e.Outputs?.ToJsonString(JsonDefaults.Stored), e.Message,
            e.LimitWorkingDays, e.Deadline is { } d ? Time(d) : null, e.ActualWorkingDays, e.Overdue is { } late ? (late ? "是" : "否") : null,
        ]).ToList();
        return (Headers, rows);
    }

    private static string Time(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
