using Microsoft.EntityFrameworkCore;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>The context as a unit of work: one detection of changes per save, rows written ahead of it, a pooled lease.</summary>
public sealed partial class WorkflowDbContext
{
    /// <summary>
    /// Detects the changes of the tracked rows once, then saves without detecting them again (EF Core would, and so would
    /// every <c>Local</c> and <c>Entries</c> call of the unit of work while detection is automatic: a unit of work of the
    /// engine turns it off, <see cref="WorkflowStore.InTransactionAsync{T}"/>). The security audit log is append-only to
    /// the application: a tracked row may be added, never changed or removed.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detect = BeginSave();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = BeginSave();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>The one DetectChanges of a save; the seal (<see cref="Integrity.IntegritySeal"/>) detects again only what it changed itself.</summary>
    private bool BeginSave()
    {
        ChangeTracker.DetectChanges();
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        if (ChangeTracker.Entries<Audit.SecurityEventRecord>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
            throw new InvalidOperationException("The security audit log is append-only: its rows cannot be changed or deleted.");
        }

        return detect;
    }

    /// <summary>A pooled context goes back to the pool: what this lease set must not reach the next one (a replay's unsealed saves above all).</summary>
    public override void Dispose()
    {
        ForgetLease();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ForgetLease();
        return base.DisposeAsync();
    }

    private void ForgetLease()
    {
        SealSuspended = false;
        SealTransaction = null;
        _loadedInTransaction = null;
        _loadedInstances.Clear();
        _insertedAlready.Clear();
        WrittenBeforeSave.Clear();
    }

    private readonly HashSet<object> _insertedAlready = new(ReferenceEqualityComparer.Instance);

    /// <summary>The rows <see cref="BatchedInserts"/> wrote before the save that is under way, put back to added if it fails.</summary>
    internal List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry> WrittenBeforeSave { get; } = [];

    /// <summary>
    /// Inserts <paramref name="row"/> now, in the unit of work's transaction, unless a row with the same key (primary or
    /// unique) exists: one statement, where a query for the key and an insert would be two. An inserted row is tracked as
    /// added, so that the rest of the unit of work (the integrity seal above all) sees it as a new row, and is not
    /// inserted again when the unit of work saves (<see cref="BatchedInserts"/>). False, and nothing tracked, when the key
    /// was taken.
    /// </summary>
    /// <exception cref="InvalidOperationException">No transaction is open: the row would be written outside the unit of work.</exception>
    internal async Task<bool> InsertUnlessKeyTakenAsync(object row, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null) throw new InvalidOperationException("A row is written ahead of its save only inside a transaction.");
        var entry = Add(row);
        var sql = new System.Text.StringBuilder();
        var parameters = new List<object>();
        await using (var factory = Database.GetDbConnection().CreateCommand())
            Dialect.AppendInsert(sql, parameters, factory, [entry], ignoreConflicts: true);
        if (await Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken) == 0)
        {
            entry.State = EntityState.Detached;
            return false;
        }

        _insertedAlready.Add(row);
        return true;
    }

    internal bool IsInsertedAlready(object row) => _insertedAlready.Contains(row);

    internal void ForgetInsertedAlready() => _insertedAlready.Clear();
}
