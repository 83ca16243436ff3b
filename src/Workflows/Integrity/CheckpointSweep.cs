using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using Quartz;

namespace PdsWorkflow.Workflows.Integrity;

public sealed record SweepResult(int Instances, int Streams, IReadOnlyList<string> DailyDigests);

/// <summary>
/// Signs the heads that no write will sign soon: instances and global streams whose last entry is older than
/// <see cref="IntegrityOptions.CheckpointInterval"/> (and ended cases at once) and whose head is past their last
/// checkpoint, journals written before signing existed included; then writes the anchor's daily digests. Each head is
/// signed in its own transaction under its lock.
/// </summary>
public sealed class CheckpointSweep(WorkflowStore store, Checkpointer checkpointer, CheckpointAnchor anchor, IOptions<IntegrityOptions> options,
    TimeProvider clock, ILogger<CheckpointSweep> logger)
{
    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = Journal.JournalHasher.Truncate(clock.GetUtcNow().UtcDateTime);
        var idle = now - options.Value.CheckpointInterval;
        var instances = 0;
        var tried = new HashSet<Guid>();
        while (true)
        {
            List<Guid> due;
            await using (var db = await store.CreateContextAsync(cancellationToken))
            {
                due = await db.Instances.AsNoTracking()
                    .Where(i => i.JournalSequence > i.CheckpointSequence
                                && (i.UpdatedAt <= idle || i.Status == WorkflowStatus.Finished || i.Status == WorkflowStatus.Cancelled))
                    .OrderBy(i => i.UpdatedAt).Select(i => i.Id).Take(options.Value.SweepBatchSize + tried.Count).ToListAsync(cancellationToken);
            }

            var fresh = due.Where(tried.Add).ToList();
            if (fresh.Count == 0) break;
            foreach (var id in fresh)
            {
                var signed = await store.InTransactionAsync<bool>(async (db, ct) =>
                {
                    var instance = await store.LockAndReadInstanceAsync(db, id, ct);
                    if (instance is null || instance.JournalSequence <= instance.CheckpointSequence) return false;
                    var reason = WorkflowStatus.IsTerminal(instance.Status) ? CheckpointReasons.Ended : CheckpointReasons.Interval;
                    return await checkpointer.SignInstanceAsync(db, instance, reason, now, ct) is not null;
                }, cancellationToken);
                if (signed is { IsSuccess: true, Value: true }) instances++;
            }
        }

        var streams = 0;
        List<string> names;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            names = await db.Streams.AsNoTracking().Where(s => s.Sequence > s.CheckpointSequence && s.UpdatedAt <= idle)
                .Select(s => s.Stream).ToListAsync(cancellationToken);
        }

        foreach (var name in names)
        {
            var signed = await store.InTransactionAsync<bool>(async (db, ct) =>
            {
                var head = await store.Dialect.LockAndReadStreamAsync(db, name, ct);
                return head is not null && head.Sequence > head.CheckpointSequence
                                        && await checkpointer.SignStreamAsync(db, head, CheckpointReasons.Interval, now, ct) is not null;
            }, cancellationToken);
            if (signed is { IsSuccess: true, Value: true }) streams++;
        }

        var digests = anchor.Enabled ? await anchor.WriteDailyDigestsAsync(cancellationToken) : [];
        if (instances + streams + digests.Count > 0)
            logger.LogInformation("Checkpoint sweep: {Instances} instance heads and {Streams} stream heads signed, {Digests} daily digests written",
                instances, streams, digests.Count);
        return new SweepResult(instances, streams, digests);
    }
}

/// <summary>Runs <see cref="CheckpointSweep"/> on <see cref="IntegrityOptions.CheckpointCron"/>; one node at a time across a PostgreSQL cluster.</summary>
[DisallowConcurrentExecution]
public sealed class CheckpointSweepJob(CheckpointSweep sweep, ILogger<CheckpointSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("checkpoint-sweep", "pds-integrity");
    public static readonly TriggerKey TriggerKey = new("checkpoint-sweep", "pds-integrity");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await sweep.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The checkpoint sweep failed; it runs again at its next time");
        }
    }
}
