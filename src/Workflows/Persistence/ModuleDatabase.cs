using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>
/// A module's tables on the engine's database (same provider and connection string, <see cref="WorkflowDatabaseOptions"/>),
/// with a migrations history table of its own. Migrated at start-up (<see cref="IModuleDatabase"/>); its contexts either
/// have a connection of their own (<see cref="CreateContext"/>, for reads and migrations) or join an engine unit of work
/// (<see cref="Join"/>), so that what an activity writes to the module commits with the workflow's burst.
/// </summary>
public abstract class ModuleDatabase<TContext>(IOptions<WorkflowDatabaseOptions> options) : IModuleDatabase
    where TContext : DbContext
{
    public abstract string Name { get; }

    public DatabaseProvider Provider => options.Value.Provider;

    /// <summary>What differs between the providers (<see cref="DatabaseDialect"/>).</summary>
    public DatabaseDialect Dialect => DatabaseDialect.For(options.Value.Provider);

    /// <summary>The module's own <c>__…_migrations</c> table, so that its history never mixes with the engine's.</summary>
    protected abstract string MigrationsHistoryTable { get; }

    protected abstract TContext Create(DbContextOptions<TContext> contextOptions);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>A context on a connection of its own. Its writes commit on their own: for reads and for migrations.</summary>
    public TContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Dialect.UseDatabase(builder, options.Value.ConnectionString, MigrationsHistoryTable);
        return Create(Finish(builder).Options);
    }

    /// <summary>
    /// A context on <paramref name="unitOfWork"/>'s connection, enlisted in its current transaction: what it saves commits
    /// or rolls back with the engine's unit of work (a workflow burst: <c>ActivityExecutionContext.Db</c>). The caller
    /// disposes it; that closes neither the connection nor the transaction, which stay the engine's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The unit of work has no transaction.</exception>
    public TContext Join(WorkflowDbContext unitOfWork)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        var transaction = unitOfWork.Database.CurrentTransaction
            ?? throw new InvalidOperationException($"The engine's unit of work has no transaction for the {Name} module to join.");
        var connection = unitOfWork.Database.GetDbConnection();
        var builder = new DbContextOptionsBuilder<TContext>();
        Dialect.UseConnection(builder, connection);
        var context = Create(Finish(builder).Options);
        context.Database.UseTransaction(transaction.GetDbTransaction());
        return context;
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the burst that executes <paramref name="context"/>'s activity, on a context
    /// that <see cref="Join"/>s the burst's transaction: it commits with the burst or not at all. A savepoint brackets the
    /// work, so a refusal (a failed result) or an exception leaves none of this module's changes behind while the burst
    /// itself goes on, as the engine promises for an activity that throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The burst has no transaction.</exception>
    public async Task<WorkflowResult<T>> InBurstAsync<T>(ActivityExecutionContext context, Func<TContext, CancellationToken, Task<WorkflowResult<T>>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var cancellationToken = context.CancellationToken;
        var transaction = context.Db.Database.CurrentTransaction
            ?? throw new InvalidOperationException($"The activity's burst has no transaction for the {Name} module to join.");
        var savepoint = $"{Name}_{context.ExecutionId:N}";
        await transaction.CreateSavepointAsync(savepoint, cancellationToken);
        WorkflowResult<T> result;
        try
        {
            await using var db = Join(context.Db);
            result = await work(db, cancellationToken);
        }
        catch
        {
            // Undo the work's changes before the exception goes on to the engine, which records an incident.
            await transaction.RollbackToSavepointAsync(savepoint, CancellationToken.None);
            throw;
        }

        if (result.IsSuccess) await transaction.ReleaseSavepointAsync(savepoint, cancellationToken);
        else await transaction.RollbackToSavepointAsync(savepoint, cancellationToken);
        return result;
    }

    /// <summary>The migrations are hand-written and have no model snapshot to compare against.</summary>
    private static DbContextOptionsBuilder<TContext> Finish(DbContextOptionsBuilder<TContext> builder) =>
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
