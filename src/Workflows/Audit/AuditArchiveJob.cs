using Microsoft.Extensions.Logging;
using Quartz;

namespace PdsWorkflow.Workflows.Audit;

/// <summary>
/// Archives what is past the retention period on the schedule of <see cref="AuditRetentionOptions.ArchiveCron"/>, on the
/// engine's Quartz scheduler; disallowing concurrent execution holds across a PostgreSQL cluster, so one node archives.
/// </summary>
[DisallowConcurrentExecution]
public sealed class AuditArchiveJob(AuditArchiver archiver, ILogger<AuditArchiveJob> logger) : IJob
{
    public static readonly JobKey Key = new("archive-journals", "pds-audit");
    public static readonly TriggerKey TriggerKey = new("archive-journals", "pds-audit");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = await archiver.ArchiveAsync(cancellationToken);
            logger.LogInformation("Archived {Instances} instances ({Entries} journal entries) and {Messages} outbox messages older than {Cutoff} into {Files} files",
                result.Instances, result.JournalEntries, result.OutboxMessages, result.Cutoff, result.Files.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each batch is written to its file before its rows are deleted in one transaction: the next run resumes.
            logger.LogError(ex, "Archiving the journals failed; it runs again at its next time");
        }
    }
}
