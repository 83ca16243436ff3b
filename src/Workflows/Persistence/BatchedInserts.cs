using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>
/// The inserts of a save, batched: the rows of a table added two or more at a time, none of its rows changed or deleted in
/// the same save (a burst's journal entries, its audit rows), go to the database in one multi-row <c>INSERT</c> per table
/// (per few hundred values on SQLite), in one command where the dialect allows
/// (<see cref="DatabaseDialect.OneStatementPerCommand"/>), before EF Core saves the rest (which would send one statement
/// per row on SQLite); rows the unit of work inserted already (<see cref="WorkflowDbContext.InsertUnlessKeyTakenAsync"/>)
/// are not inserted again. Only inside the caller's transaction (a burst's, or the one the integrity seal opened), so
/// that they commit or roll back with everything else.
/// </summary>
/// <remarks>
/// Registered after <see cref="Integrity.IntegritySeal"/>, which re-hashes the last journal entry and may add rows: what
/// is written is what the seal attested. The rows stay tracked as added until this point, so every reader of the unit of
/// work (the seal first) sees them as new. A save that fails puts them back to added; its unit of work is discarded
/// (<see cref="WorkflowStore.InTransactionAsync{T}"/> runs the work again on a fresh context).
/// </remarks>
internal sealed class BatchedInserts : SaveChangesInterceptor
{
    private readonly ConcurrentDictionary<IEntityType, bool> _batchable = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is WorkflowDbContext db) await WriteAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is WorkflowDbContext db) WriteAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is WorkflowDbContext db) db.WrittenBeforeSave.Clear();
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is WorkflowDbContext db) db.WrittenBeforeSave.Clear();
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is not WorkflowDbContext db) return;
        foreach (var entry in db.WrittenBeforeSave) entry.State = EntityState.Added;
        db.WrittenBeforeSave.Clear();
    }

    private async Task WriteAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        // Without a transaction of its own the save is EF Core's transaction: every insert goes there.
        if (db.Database.CurrentTransaction is null) return;
        var written = new List<EntityEntry>();
        var byType = new Dictionary<IEntityType, List<EntityEntry>>();
        // EF Core orders a save's commands so that a row deleted or changed frees its key before another row takes it (a
        // user's roles replaced): the rows of such a table are left to it.
        var ordered = new HashSet<IEntityType>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Deleted or EntityState.Modified) ordered.Add(entry.Metadata);
            if (entry.State != EntityState.Added) continue;
            if (db.IsInsertedAlready(entry.Entity))
            {
                written.Add(entry);
                continue;
            }

            if (!_batchable.GetOrAdd(entry.Metadata, Batchable) || entry.Properties.Any(p => p.IsTemporary)) continue;
            if (!byType.TryGetValue(entry.Metadata, out var rows)) byType[entry.Metadata] = rows = [];
            rows.Add(entry);
        }

        var batches = byType.Where(t => t.Value.Count >= 2 && !ordered.Contains(t.Key)).Select(t => t.Value).ToList();
        if (batches.Count > 0)
        {
            var dialect = db.Dialect;
            var sql = new StringBuilder();
            var parameters = new List<object>();
            await using (var factory = db.Database.GetDbConnection().CreateCommand())
            {
                foreach (var rows in batches)
                {
                    if (!dialect.OneStatementPerCommand)
                    {
                        dialect.AppendInsert(sql, parameters, factory, rows, ignoreConflicts: false);
                        continue;
                    }

                    foreach (var chunk in rows.Chunk(dialect.RowsPerStatement(rows[0].Metadata)))
                    {
                        dialect.AppendInsert(sql, parameters, factory, chunk, ignoreConflicts: false);
                        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
                        sql.Clear();
                        parameters.Clear();
                    }
                }
            }

            if (sql.Length > 0) await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
            foreach (var rows in batches) written.AddRange(rows);
        }

        foreach (var entry in written)
        {
            entry.State = EntityState.Unchanged;
            db.WrittenBeforeSave.Add(entry);
        }

        db.ForgetInsertedAlready();
    }

    /// <summary>Rows whose every value the application sets (no value the database generates, a Guid key aside, which EF Core sets on add).</summary>
    private static bool Batchable(IEntityType type) =>
        type.GetTableName() is not null
        && type.GetProperties().All(p => p.ValueGenerated == ValueGenerated.Never || (p.IsPrimaryKey() && p.ClrType == typeof(Guid)));
}
