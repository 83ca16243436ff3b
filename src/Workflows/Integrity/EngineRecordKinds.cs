using System.Globalization;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>
/// The engine's history tables under the chains: what the tracking page and the audit record show besides the journal
/// (who acted, with what opinion and form changes; which files with which hashes; which messages went to whom), and the
/// holiday notices deadlines are counted from. Deadline changes themselves are journal entries.
/// </summary>
internal static class EngineRecordKinds
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static readonly RecordKind<TaskActionRecord> TaskActions = new("task-action", "办理记录",
        id: a => a.Id.ToString("N"),
        writtenAt: a => a.At,
        content: (d, a) => d.Field(a.InstanceId).Field(a.TaskId).Field(a.Action).Field(a.Actor).Field(a.Comment).Field(a.BeforeJson).Field(a.AfterJson),
        order: (d, a) => d.Field(a.At).Field(a.Sequence),
        describe: a => $"{a.Actor} {a.Action} {Time(a.At)}",
        instance: a => a.InstanceId);

    public static readonly RecordKind<AttachmentRecord> Attachments = new("attachment", "附件",
        id: a => a.Id.ToString("N"),
        writtenAt: a => a.UploadedAt,
        content: (d, a) => d.Field(a.InstanceId).Field(a.TaskId).Field(a.FileName).Field(a.ContentType).Field(a.Size).Field(a.Sha256).Field(a.UploadedBy),
        order: (d, a) => d.Field(a.UploadedAt),
        describe: a => $"“{a.FileName}”，{a.UploadedBy} 上传于 {Time(a.UploadedAt)}",
        instance: a => a.InstanceId);

    /// <summary>Messages a case queued (notices to people, mail, SMS, upstream calls); their delivery state changes and is not covered.</summary>
    public static readonly RecordKind<OutboxRecord> Messages = new("message", "通知消息",
        id: m => m.Id.ToString("N"),
        writtenAt: m => m.CreatedAt,
        content: (d, m) => d.Field(m.InstanceId).Field(m.Type).Field(m.Key).Field(m.PayloadJson),
        order: (d, m) => d.Field(m.CreatedAt),
        describe: m => $"{m.Type}（{Time(m.CreatedAt)}）",
        instance: m => m.InstanceId,
        filter: m => m.InstanceId != null);

    /// <summary>The State Council notices loaded at run time: the deadlines of every case are counted from them.</summary>
    public static readonly RecordKind<NoticeRecord> Notices = new("holiday-notice", "节假日安排",
        id: n => n.Year.ToString(CultureInfo.InvariantCulture),
        writtenAt: n => n.LoadedAt,
        content: (d, n) => d.Field(n.Year).Field(n.NoticeNumber).Field(n.Json).Field(n.LoadedBy).Field(n.LoadedAt),
        order: null,
        describe: n => $"{n.Year} 年（{n.NoticeNumber}），{n.LoadedBy} 载入于 {Time(n.LoadedAt)}",
        globalStream: "calendar");

    /// <summary>
    /// The security audit log (issue #14): every row attested in the global stream <c>security</c> as it is added, so a
    /// row changed, deleted, inserted or reordered behind the platform's back is reported (GB/T 22239-2019 8.1.4.3 c).
    /// </summary>
    public static readonly RecordKind<Audit.SecurityEventRecord> SecurityLog = new("security-log", "安全审计日志",
        id: r => r.RecordId.ToString("N"),
        writtenAt: r => r.At,
        content: (d, r) => d.Field(r.At).Field(r.Kind).Field(r.Result).Field(r.Actor).Field(r.SourceAddress).Field(r.Object).Field(r.Detail),
        order: (d, r) => d.Field(r.At).Field(r.RecordId.ToString("N")),
        describe: r => $"{Time(r.At)} {Audit.SecurityEventKinds.DisplayNames.GetValueOrDefault(r.Kind, r.Kind)}（{r.Actor ?? "匿名"}，{r.Result}）",
        globalStream: "security");

    public static string Time(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
