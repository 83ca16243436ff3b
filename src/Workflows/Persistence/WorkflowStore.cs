using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>Opens units of work on the engine's database; what differs between providers is its <see cref="Dialect"/>'s.</summary>
public sealed class WorkflowStore(IDbContextFactory<WorkflowDbContext> factory, IOptions<WorkflowDatabaseOptions> options)
{
    private const int MaxTransientRetries = 5;

    public DatabaseProvider Provider => options.Value.Provider;

    /// <summary>What differs between the providers: locks, claims, upserts, error classes.</summary>
    public DatabaseDialect Dialect => DatabaseDialect.For(options.Value.Provider);

    public Task<WorkflowDbContext> CreateContextAsync(CancellationToken cancellationToken) => factory.CreateDbContextAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits only a success; a deadlock or a busy database is
    /// retried with a fresh context, so the work must be safe to run again from scratch.
    /// </summary>
    public async Task<WorkflowResult<T>> InTransactionAsync<T>(
        Func<WorkflowDbContext, CancellationToken, Task<WorkflowResult<T>>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            // Changes are detected once, when the unit of work saves; not at every Local or Entries call of a burst.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await work(db, cancellationToken);
                if (!result.IsSuccess) return result;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateConcurrencyException)
            {
                return WorkflowErrors.ConcurrentUpdate();
            }
            catch (Exception ex) when (attempt < MaxTransientRetries && Dialect.IsTransient(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// A tracked read of the instance row that serialises bursts of one instance to the end of the transaction (the
    /// dialect's row lock). Null when there is no such instance.
    /// </summary>
    public Task<InstanceRecord?> LockAndReadInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken) =>
        Dialect.LockAndReadInstanceAsync(db, instanceId, cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await Dialect.PrepareAsync(db.Database, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    internal static void Configure(DbContextOptionsBuilder builder, WorkflowDatabaseOptions options)
    {
        DatabaseDialect.For(options.Provider).UseDatabase(builder, options.ConnectionString, "__wf_migrations");
        // The migrations are hand-written and have no model snapshot to compare against.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}
