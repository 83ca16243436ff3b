using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Audit;

/// <summary>
/// How long journals and exchange logs stay in the database. 004 第十四条: 日志记录保存时间不得少于 24 个月, so a shorter
/// setting stops the Host. Archiving runs when an operator runs it (<c>archive-journals</c>) and, when
/// <see cref="ArchiveCron"/> is set, on that schedule (<see cref="AuditArchiveJob"/>).
/// </summary>
public sealed class AuditRetentionOptions
{
    public const string Section = "Audit";
    public const int MinimumMonths = 24;

    public int RetentionMonths { get; set; } = MinimumMonths;

    /// <summary>Folder the archive files are written to before rows leave the database.</summary>
    public string ArchivePath { get; set; } = "data/archive";

    /// <summary>Instances (and outbox messages) archived per transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// A Quartz cron expression (Beijing time), e.g. <c>0 0 3 ? * SUN</c> for Sundays at 03:00, on which the Host archives
    /// what is past the retention period; unset (the default), archiving runs only by command.
    /// </summary>
    public string? ArchiveCron { get; set; }
}

public sealed class AuditRetentionOptionsValidator : IValidateOptions<AuditRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditRetentionOptions options)
    {
        var failures = new List<string>();
        if (options.RetentionMonths < AuditRetentionOptions.MinimumMonths)
            failures.Add($"Audit:RetentionMonths 为 {options.RetentionMonths}：流程日志和交换日志至少保存 {AuditRetentionOptions.MinimumMonths} 个月（《平顶山市政务数据管理办法》第十四条），不能更短。");
        if (string.IsNullOrWhiteSpace(options.ArchivePath)) failures.Add("Audit:ArchivePath 不能为空：归档文件需要写入的目录。");
        if (options.BatchSize is < 1 or > 10_000) failures.Add($"Audit:BatchSize 为 {options.BatchSize}，应在 1 到 10000 之间。");
        if (options.ArchiveCron is { } cron && !string.IsNullOrWhiteSpace(cron) && !Timers.CronJobs.IsCron(cron))
            failures.Add($"Audit:ArchiveCron“{cron}”不是有效的 Quartz cron 表达式（例如 0 0 3 ? * SUN 表示每周日 03:00）。");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}

public sealed record ArchiveResult(DateTimeOffset Cutoff, int Instances, int JournalEntries, int OutboxMessages, IReadOnlyList<string> Files);

/// <summary>
/// Moves what is older than the retention period out of the database: ended instances (finished or cancelled before
/// the cutoff) with their journal, bookmarks, incidents, tasks and signed checkpoints, and outbox messages (the exchange
/// log of mail, SMS and upstream calls) sent before it, a case's own only once the case itself is archived. Each batch is written to a JSON Lines file and flushed to disk before the rows
/// are deleted in one transaction; nothing younger than the cutoff and nothing still running is touched. The security
/// log (<see cref="SecurityLog"/>) is never archived: it stays in the database, append-only.
/// </summary>
public sealed class AuditArchiver(WorkflowStore store, TimeProvider clock, IOptions<AuditRetentionOptions> options, SecurityLog log)
{
    /// <summary>The scheduled run's actor in the security log.</summary>
    public const string JobActor = "system:archive-job";

    /// <summary>
    /// Archives what is past the retention period, and writes the run (its counts, or its failure) to the security log.
    /// The security log itself is never archived or deleted: it stays in the database (docs/security.md).
    /// </summary>
    public async Task<ArchiveResult> ArchiveAsync(CancellationToken cancellationToken = default) => await ArchiveAsync(JobActor, cancellationToken);

    public async Task<ArchiveResult> ArchiveAsync(string actor, CancellationToken cancellationToken)
    {
        ArchiveResult result;
        try
        {
            result = await ArchiveBatchesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await log.WriteAsync(new SecurityEvent(SecurityEventKinds.ArchiveRun, SecurityResults.Failure, actor, null, "archive", ex.GetType().Name + ": " + ex.Message),
                CancellationToken.None);
            throw;
        }

        await log.WriteAsync(new SecurityEvent(SecurityEventKinds.ArchiveRun, SecurityResults.Success, actor, null, "archive",
            $"截止 {result.Cutoff:yyyy-MM-dd}：{result.Instances} 个实例、{result.JournalEntries} 条日志、{result.OutboxMessages} 条消息，{result.Files.Count} 个文件"),
            CancellationToken.None);
        return result;
    }

    private async Task<ArchiveResult> ArchiveBatchesAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now.AddMonths(-settings.RetentionMonths).UtcDateTime;
        Directory.CreateDirectory(settings.ArchivePath);
        var files = new List<string>();
        int instances = 0, entries = 0, messages = 0, batch = 0;
        while (true)
        {
            var file = Path.Combine(settings.ArchivePath, $"archive-{now:yyyyMMddHHmmss}-{++batch:D4}.jsonl");
            var (archivedInstances, archivedEntries, archivedMessages) = await ArchiveBatchAsync(file, cutoff, settings.BatchSize, cancellationToken);
            if (archivedInstances + archivedMessages == 0) break;
            files.Add(file);
            (instances, entries, messages) = (instances + archivedInstances, entries + archivedEntries, messages + archivedMessages);
        }

        return new ArchiveResult(new DateTimeOffset(cutoff, TimeSpan.Zero), instances, entries, messages, files);
    }

    private async Task<(int, int, int)> ArchiveBatchAsync(string file, DateTime cutoff, int size, CancellationToken ct)
    {
        var outcome = await store.InTransactionAsync<(int, int, int)>(async (db, token) =>
        {
            var ended = await db.Instances
                .Where(i => (i.Status == WorkflowStatus.Finished || i.Status == WorkflowStatus.Cancelled) && i.FinishedAt != null && i.FinishedAt < cutoff)
                .Where(i => !db.Journal.Any(j => j.InstanceId == i.Id && j.Timestamp >= cutoff))
                .Where(i => !db.Instances.Any(child => child.ParentInstanceId == i.Id && child.Status != WorkflowStatus.Finished && child.Status != WorkflowStatus.Cancelled))
                .OrderBy(i => i.FinishedAt).Take(size).ToListAsync(token);
            var ids = ended.Select(i => i.Id).ToList();
            // A case's messages are attested in its journal: they leave with their case, never before it.
            var sent = await db.Outbox.Where(m => m.SentAt != null && m.SentAt < cutoff
                    && (m.InstanceId == null || ids.Contains(m.InstanceId.Value) || !db.Instances.Any(i => i.Id == m.InstanceId)))
                .OrderBy(m => m.SentAt).Take(size).ToListAsync(token);
            if (ended.Count + sent.Count == 0) return (0, 0, 0);

            var journal = await db.Journal.Where(j => ids.Contains(j.InstanceId)).OrderBy(j => j.InstanceId).ThenBy(j => j.Sequence).ToListAsync(token);
            var bookmarks = await db.Bookmarks.Where(b => ids.Contains(b.InstanceId)).ToListAsync(token);
            var incidents = await db.Incidents.Where(i => ids.Contains(i.InstanceId)).ToListAsync(token);
            var tasks = await db.Tasks.Where(t => ids.Contains(t.InstanceId)).ToListAsync(token);
            var taskIds = tasks.Select(t => t.Id).ToList();
            var candidates = await db.TaskCandidates.Where(c => taskIds.Contains(c.TaskId)).ToListAsync(token);
            var actions = await db.TaskActions.Where(a => ids.Contains(a.InstanceId)).ToListAsync(token);
            var copies = await db.CarbonCopies.Where(c => ids.Contains(c.InstanceId)).ToListAsync(token);
            var streams = ids.Select(Integrity.StreamKeys.Instance).ToList();
            var checkpoints = await db.Checkpoints.Where(c => streams.Contains(c.Stream)).ToListAsync(token);

            // The file is complete and on disk before any row goes: a crash after this leaves the rows, never a loss.
            await using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None))
            await using (var writer = new StreamWriter(stream))
            {
                foreach (var instance in ended)
                {
                    var line = new JsonObject
                    {
                        ["kind"] = "instance",
                        ["instance"] = Node(instance),
                        ["journal"] = Array(journal.Where(j => j.InstanceId == instance.Id)),
                        ["bookmarks"] = Array(bookmarks.Where(b => b.InstanceId == instance.Id)),
                        ["incidents"] = Array(incidents.Where(i => i.InstanceId == instance.Id)),
                        ["tasks"] = Array(tasks.Where(t => t.InstanceId == instance.Id)),
                        ["taskCandidates"] = Array(candidates.Where(c => tasks.Any(t => t.Id == c.TaskId && t.InstanceId == instance.Id))),
                        ["taskActions"] = Array(actions.Where(a => a.InstanceId == instance.Id)),
                        ["carbonCopies"] = Array(copies.Where(c => c.InstanceId == instance.Id)),
                        ["checkpoints"] = Array(checkpoints.Where(c => c.Stream == Integrity.StreamKeys.Instance(instance.Id))),
                    };
                    await writer.WriteLineAsync(line.ToJsonString(JsonDefaults.Stored).AsMemory(), token);
                }

                foreach (var message in sent)
                    await writer.WriteLineAsync(new JsonObject { ["kind"] = "outbox", ["message"] = Node(message) }.ToJsonString(JsonDefaults.Stored).AsMemory(), token);
                await writer.FlushAsync(token);
                stream.Flush(flushToDisk: true);
            }

            db.RemoveRange(journal);
            db.RemoveRange(bookmarks);
            db.RemoveRange(incidents);
            db.RemoveRange(candidates);
            db.RemoveRange(tasks);
            db.RemoveRange(actions);
            db.RemoveRange(copies);
            db.RemoveRange(checkpoints);
            db.RemoveRange(ended);
            db.RemoveRange(sent);
            return (ended.Count, journal.Count, sent.Count);
        }, ct);
        if (!outcome.IsSuccess && File.Exists(file)) File.Delete(file);
        return outcome.Value;
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, JsonDefaults.Stored);

    private static JsonArray Array<T>(IEnumerable<T> values) => new(values.Select(v => Node(v)).ToArray());
}
