using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>
/// Seals every save of the engine's database: each covered record written, changed or deleted (<see cref="RecordKind"/>)
/// gets its digest recorded in its chain in the same transaction, and chain heads due for a checkpoint are signed.
/// </summary>
/// <remarks>
/// One mechanism for every writer, so none can forget: an instance's records are attested on the last journal entry its
/// unit of work appended (the entry is re-hashed; nothing follows it yet), or, when the unit of work appended none (a
/// message written by a sweep, a payload redacted once sent), on a <c>Note</c> entry appended for them under the
/// instance's lock. A global stream's records get one entry of that stream, under the stream head's lock. A save made
/// outside a transaction that needs a lock runs in one the seal opens and commits with it.
/// </remarks>
internal sealed class IntegritySeal(CoveredRecords covered, Checkpointer checkpointer, TimeProvider clock, ILogger<IntegritySeal> logger)
    : SaveChangesInterceptor
{
    public const string SealActor = "system:integrity";

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is WorkflowDbContext { SealSuspended: false } db) await SealAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is WorkflowDbContext { SealSuspended: false } db) SealAsync(db, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is WorkflowDbContext { SealTransaction: { } transaction } db)
        {
            db.SealTransaction = null;
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is WorkflowDbContext { SealTransaction: { } transaction } db)
        {
            db.SealTransaction = null;
            transaction.Commit();
            transaction.Dispose();
        }

        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is WorkflowDbContext { SealTransaction: { } transaction } db)
        {
            db.SealTransaction = null;
            await transaction.DisposeAsync();
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is WorkflowDbContext { SealTransaction: { } transaction } db)
        {
            db.SealTransaction = null;
            transaction.Dispose();
        }
    }

    private async ValueTask SealAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        // The context detected its changes once before this save (WorkflowDbContext.SaveChangesAsync); the seal detects
        // again only after it changed rows itself.
        var tracker = db.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var appended = new Dictionary<Guid, JournalRecord>();
            var instances = new Dictionary<Guid, EntityEntry<InstanceRecord>>();
            var written = new List<Written>();
            foreach (var entry in tracker.Entries())
            {
                switch (entry.Entity)
                {
                    case JournalRecord { } j when entry.State == EntityState.Added:
                        if (!appended.TryGetValue(j.InstanceId, out var last) || last.Sequence < j.Sequence) appended[j.InstanceId] = j;
                        break;
                    case InstanceRecord i:
                        instances[i.Id] = db.Entry(i);
                        break;
                    default:
                        if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                            && covered.Find(entry.Metadata.ClrType) is { } kind && Of(kind, entry) is { } row)
                            written.Add(row);
                        break;
                }
            }

            if (written.Count == 0 && appended.Count == 0) return;
            var now = JournalHasher.Truncate(clock.GetUtcNow().UtcDateTime);
            await SealInstancesAsync(db, written.Where(w => w.Kind.GlobalStream is null).ToList(), appended, instances, now, cancellationToken);
            foreach (var stream in written.Where(w => w.Kind.GlobalStream is not null).GroupBy(w => w.Kind.GlobalStream!))
                await SealStreamAsync(db, stream.Key, stream.ToList(), now, cancellationToken);
            tracker.DetectChanges();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private async Task SealInstancesAsync(WorkflowDbContext db, List<Written> written, Dictionary<Guid, JournalRecord> appended,
        Dictionary<Guid, EntityEntry<InstanceRecord>> instances, DateTime now, CancellationToken cancellationToken)
    {
        var byInstance = new Dictionary<Guid, List<Written>>();
        foreach (var item in written)
        {
            if (item.Kind.InstanceOf(item.Row) is not { } instanceId) continue;
            if (!byInstance.TryGetValue(instanceId, out var list)) byInstance[instanceId] = list = [];
            list.Add(item);
        }

        foreach (var (instanceId, items) in byInstance)
        {
            InstanceRecord? instance;
            if (instances.TryGetValue(instanceId, out var tracked))
            {
                // An instance deleted in this save (archived) takes its records with it.
                if (tracked.State == EntityState.Deleted) continue;
                instance = tracked.Entity;
            }
            else
            {
                await EnsureTransactionAsync(db, cancellationToken);
                instance = await db.Dialect.LockAndReadInstanceAsync(db, instanceId, cancellationToken);
                if (instance is null) continue;
                instances[instanceId] = db.Entry(instance);
            }

            var algorithm = instance.JournalAlgorithm ?? JournalChain.LegacyAlgorithm;
            var records = string.Join('\n', items.Select(i => i.Line(algorithm)));
            if (appended.TryGetValue(instanceId, out var head) && head.Sequence == instance.JournalSequence)
            {
                JournalChain.Attest(instance, head, records);
            }
            else
            {
                var kinds = items.GroupBy(i => i.Kind.DisplayName).Select(g => $"{g.Key} {g.Count()} 条");
                appended[instanceId] = JournalChain.Append(db, instance, now, SealActor, JournalEvents.Note,
                    message: $"登记在流程操作之外写入的记录：{string.Join("、", kinds)}", records: records);
                instance.UpdatedAt = now;
                instance.Revision++;
            }
        }

        foreach (var instanceId in appended.Keys)
        {
            if (!instances.TryGetValue(instanceId, out var entry) || entry.State == EntityState.Deleted) continue;
            var instance = entry.Entity;
            // An ended case is signed as soon as anything is added to it: nothing later would sign it.
            var ended = WorkflowStatus.IsTerminal(instance.Status);
            if (checkpointer.Due(instance.JournalSequence, instance.CheckpointSequence, instance.CheckpointAt ?? instance.CreatedAt, ended, now) is not { } reason)
                continue;
            await EnsureTransactionAsync(db, cancellationToken);
            await checkpointer.SignInstanceAsync(db, instance, reason, now, cancellationToken);
        }
    }

    private async Task SealStreamAsync(WorkflowDbContext db, string stream, List<Written> written, DateTime now, CancellationToken cancellationToken)
    {
        await EnsureTransactionAsync(db, cancellationToken);
        var head = await LockStreamAsync(db, stream, now, cancellationToken);
        var entry = new StreamEntryRecord
        {
            Stream = stream, Sequence = head.Sequence + 1, Timestamp = now, Records = string.Join('\n', written.Select(i => i.Line(head.Algorithm))),
            Algorithm = head.Algorithm,
            PreviousHash = head.HeadHash, Hash = "",
        };
        entry.Hash = StreamHasher.Compute(entry);
        db.StreamEntries.Add(entry);
        head.Sequence = entry.Sequence;
        head.HeadHash = entry.Hash;
        head.UpdatedAt = now;
        if (checkpointer.Due(head.Sequence, head.CheckpointSequence, head.CheckpointAt ?? head.CreatedAt, ended: false, now) is { } reason)
            await checkpointer.SignStreamAsync(db, head, reason, now, cancellationToken);
    }

    /// <summary>A covered row written in this save: added, changed (in what its digest covers) or deleted.</summary>
    private sealed record Written(RecordKind Kind, EntityEntry Entry, object Row)
    {
        public string Line(string algorithm) => RecordDigests.Line(Kind.Code, Kind.IdOf(Row),
            Entry.State == EntityState.Deleted ? RecordDigests.Deleted : Kind.Digest(algorithm, Row));
    }

    /// <summary>
    /// The row as it is to be attested, or null when there is nothing to attest: a row the kind does not cover (an outbox
    /// message of no case), or a change that leaves its digest as it was (a message marked sent), found before any lock.
    /// </summary>
    private static Written? Of(RecordKind kind, EntityEntry entry)
    {
        var row = entry.State == EntityState.Deleted ? entry.OriginalValues.ToObject() : entry.Entity;
        if (!kind.Covers(row)) return null;
        if (entry.State == EntityState.Modified
            && kind.Digest(HashAlgorithms.Sha256, row) == kind.Digest(HashAlgorithms.Sha256, entry.OriginalValues.ToObject())) return null;
        return new Written(kind, entry, row);
    }

    private static async Task EnsureTransactionAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null) db.SealTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>The stream's head row, created when missing and locked for the rest of the transaction.</summary>
    private async Task<StreamRecord> LockStreamAsync(WorkflowDbContext db, string stream, DateTime now, CancellationToken cancellationToken)
    {
        if (db.Streams.Local.FirstOrDefault(s => s.Stream == stream) is { } tracked) return tracked;
        // Two first writers of a stream: one inserts its head, both then lock it.
        var begun = await db.Dialect.InsertOrIgnoreAsync(db.Database, WorkflowDbContext.Tables.Streams,
            [
                ("Stream", stream), ("Sequence", 0L), ("HeadHash", ""), ("Algorithm", checkpointer.Options.HashAlgorithm), ("CheckpointSequence", 0L),
                ("CreatedAt", now), ("UpdatedAt", now),
            ], cancellationToken);
        if (begun == 1) logger.LogInformation("Global stream {Stream} begins ({Algorithm})", stream, checkpointer.Options.HashAlgorithm);
        return await db.Dialect.LockAndReadStreamAsync(db, stream, cancellationToken)
               ?? throw new InvalidOperationException($"The head of the global stream {stream} was neither found nor created.");
    }
}
