using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// The interfaces module's tables on the engine's database (same provider and connection string, <see cref="WorkflowDatabaseOptions"/>).
/// Migrated at start-up as a module (<see cref="IModuleDatabase"/>); its contexts either have a connection of their own
/// (<see cref="CreateContext"/>, for reads) or join an engine unit of work (<see cref="Join"/>).
/// </summary>
public sealed class InterfacesDatabase(IOptions<WorkflowDatabaseOptions> options) : IModuleDatabase
{
    public string Name => "interfaces";

    public DatabaseProvider Provider => options.Value.Provider;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>A context on a connection of its own. Its writes commit on their own: for reads and for migrations.</summary>
    public InterfacesDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<InterfacesDbContext>();
        var connectionString = options.Value.ConnectionString;
        _ = Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(InterfacesDbContext.Tables.MigrationsHistory)),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(InterfacesDbContext.Tables.MigrationsHistory)),
            _ => throw new InvalidOperationException($"Unsupported database provider {Provider}."),
        };
        return new InterfacesDbContext(Finish(builder).Options);
    }

    /// <summary>
    /// A context on <paramref name="unitOfWork"/>'s connection, enlisted in its current transaction: what it saves commits
    /// or rolls back with the engine's unit of work (a workflow burst: <c>ActivityExecutionContext.Db</c>). The caller
    /// disposes it; that closes neither the connection nor the transaction, which stay the engine's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The unit of work has no transaction.</exception>
    public InterfacesDbContext Join(WorkflowDbContext unitOfWork)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        var transaction = unitOfWork.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The engine's unit of work has no transaction for the interfaces module to join.");
        var connection = unitOfWork.Database.GetDbConnection();
        var builder = new DbContextOptionsBuilder<InterfacesDbContext>();
        _ = Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connection),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connection),
            _ => throw new InvalidOperationException($"Unsupported database provider {Provider}."),
        };
        var context = new InterfacesDbContext(Finish(builder).Options);
        context.Database.UseTransaction(transaction.GetDbTransaction());
        return context;
    }

    /// <summary>The migrations are hand-written and have no model snapshot to compare against.</summary>
    private static DbContextOptionsBuilder<InterfacesDbContext> Finish(DbContextOptionsBuilder<InterfacesDbContext> builder) =>
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
