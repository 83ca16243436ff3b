using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>The extensions a form's file field accepts (lower case, no dot); null: whatever the store allows.</summary>
public sealed record FileFieldAccept(IReadOnlyCollection<string>? Extensions);

/// <summary>
/// Files on a case, added through one of its tasks. The order matters for "a refused request writes nothing": who may
/// attach is checked before the upload is read (<see cref="MayAttachAsync"/>), the bytes are checked before the file is
/// kept (<see cref="AttachmentStore"/>), and the record is written under the instance lock, which checks again; a file
/// this upload created is removed when that record is refused.
/// </summary>
public sealed class TaskAttachments(WorkflowStore store, AttachmentStore files, TaskCommands commands, IServiceProvider services)
{
    public const int MaxFileNameLength = 200;

    /// <summary>Who may add a file through a task: its holders (assignee, owner, candidates) and the case's applicant.</summary>
    internal static async Task<bool> MayAttachAsync(WorkflowDbContext db, TaskRecord task, string actor, CancellationToken cancellationToken) =>
        task.AssigneeId == actor || task.OwnerId == actor || task.InitiatorId == actor
        || await db.TaskCandidates.AnyAsync(x => x.TaskId == task.Id && x.UserId == actor, cancellationToken);

    /// <summary>Null when <paramref name="actor"/> may add a file through the task; else why not. Reads only.</summary>
    public async Task<WorkflowError?> MayAttachAsync(Guid taskId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null) return TaskErrors.NotFound(taskId);
        return await MayAttachAsync(db, task, actor, cancellationToken) ? null : TaskErrors.NotCandidate(actor);
    }

    /// <summary>
    /// The extensions the task's form accepts in the file field <paramref name="field"/> (top level or a table column);
    /// null for no field (the store's list applies). An unknown or non-file field is refused.
    /// </summary>
    public async Task<WorkflowResult<FileFieldAccept>> AcceptAsync(Guid taskId, string? field, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(field)) return new FileFieldAccept(null);
        await using var db = await store.CreateContextAsync(cancellationToken);
        var formId = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.FormId).FirstOrDefaultAsync(cancellationToken);
        var found = formId is not null && services.GetService(typeof(FormSchemaRegistry)) is FormSchemaRegistry forms && forms.TryGet(formId, out var schema)
            ? schema.Fields.SelectMany(f => (IEnumerable<FormField>)[f, .. f.Columns ?? []]).FirstOrDefault(f => f.Key == field)
            : null;
        if (found is not { Type: FormFieldType.File })
            return TaskErrors.Invalid("file_field_unknown", $"该环节的表单没有名为“{field}”的文件项。");
        return new FileFieldAccept(found.Accept is { Count: > 0 } accept ? accept : null);
    }

    /// <summary>
    /// Checks and stores <paramref name="content"/>, then records it on the task's case. The caller reads the request
    /// body only after <see cref="MayAttachAsync(Guid, string, CancellationToken)"/> said yes; this checks again.
    /// </summary>
    public async Task<WorkflowResult<AttachmentRecord>> AttachAsync(Guid taskId, string actor, string fileName, Stream content,
        IReadOnlyCollection<string>? accept = null, CancellationToken cancellationToken = default)
    {
        var name = Path.GetFileName(fileName ?? "");
        if (name.Length is 0 or > MaxFileNameLength || name.Any(char.IsControl) || HasLoneSurrogate(name))
            return TaskErrors.Invalid("invalid_file_name", "文件名为空、过长或含有无效字符。");
        if (await MayAttachAsync(taskId, actor, cancellationToken) is { } refused) return refused;
        var stored = await files.SaveAsync(content, name, accept, cancellationToken);
        if (!stored.IsSuccess) return stored.Error!;
        var recorded = await RecordAsync(taskId, actor, name, stored.Value, cancellationToken);
        if (!recorded.IsSuccess && stored.Value.Created && !await ReferencedAsync(stored.Value.Sha256)) files.Discard(stored.Value);
        return recorded;
    }

    /// <summary>
    /// Records a file checked and stored, under the instance lock; refused (and nothing written) unless
    /// <paramref name="actor"/> may still attach through the task.
    /// </summary>
    private Task<WorkflowResult<AttachmentRecord>> RecordAsync(Guid taskId, string actor, string name, AttachmentStore.Stored stored,
        CancellationToken cancellationToken) =>
        commands.RunAsync<AttachmentRecord>(taskId, actor, async (c, ct) =>
        {
            if (!await MayAttachAsync(c.Db, c.Task, actor, ct)) return TaskErrors.NotCandidate(actor);
            var record = new AttachmentRecord
            {
                Id = Guid.NewGuid(), InstanceId = c.Task.InstanceId, TaskId = c.Task.Id, FileName = name, ContentType = stored.ContentType,
                Size = stored.Size, Sha256 = stored.Sha256, UploadedBy = actor, UploadedAt = c.Now,
            };
            c.Db.Attachments.Add(record);
            c.Change(TaskActions.Attach, name, () => { }, extra: new JsonObject { ["file"] = name, ["sha256"] = stored.Sha256, ["size"] = stored.Size });
            return record;
        }, cancellationToken);

    /// <summary>Another case may have stored the same bytes meanwhile: its record keeps the file.</summary>
    /// <remarks>Run to its end even when the request was cancelled, so the clean-up is not skipped.</remarks>
    private async Task<bool> ReferencedAsync(string sha256)
    {
        await using var db = await store.CreateContextAsync(CancellationToken.None);
        return await db.Attachments.AnyAsync(a => a.Sha256 == sha256, CancellationToken.None);
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }

        return false;
    }
}
