using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>
/// The exchange's tables on the engine's database (same provider and connection string, <see cref="WorkflowDatabaseOptions"/>).
/// Migrated at start-up as a module (<see cref="IModuleDatabase"/>); its contexts either have a connection of their own
/// (<see cref="CreateContext"/>, for reads) or join an engine unit of work (<see cref="Join"/>).
/// </summary>
public sealed class ExchangeDatabase(IOptions<WorkflowDatabaseOptions> options) : IModuleDatabase
{
    public string Name => "exchange";

    public DatabaseProvider Provider => options.Value.Provider;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>A context on a connection of its own. Its writes commit on their own: for reads and for migrations.</summary>
    public ExchangeDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<ExchangeDbContext>();
        var connectionString = options.Value.ConnectionString;
        _ = Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(ExchangeDbContext.Tables.MigrationsHistory)),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(ExchangeDbContext.Tables.MigrationsHistory)),
            _ => throw new InvalidOperationException($"Unsupported database provider {Provider}."),
        };
        return new ExchangeDbContext(Finish(builder).Options);
    }

    /// <summary>
    /// A context on <paramref name="unitOfWork"/>'s connection, enlisted in its current transaction: what it saves commits
    /// or rolls back with the engine's unit of work (a workflow burst: <c>ActivityExecutionContext.Db</c>). The caller
    /// disposes it; that closes neither the connection nor the transaction, which stay the engine's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The unit of work has no transaction.</exception>
    public ExchangeDbContext Join(WorkflowDbContext unitOfWork)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        var transaction = unitOfWork.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The engine's unit of work has no transaction for the exchange to join.");
        var connection = unitOfWork.Database.GetDbConnection();
        var builder = new DbContextOptionsBuilder<ExchangeDbContext>();
        _ = Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connection),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connection),
            _ => throw new InvalidOperationException($"Unsupported database provider {Provider}."),
        };
        var exchange = new ExchangeDbContext(Finish(builder).Options);
        exchange.Database.UseTransaction(transaction.GetDbTransaction());
        return exchange;
    }

    /// <summary>The migrations are hand-written and have no model snapshot to compare against.</summary>
    private static DbContextOptionsBuilder<ExchangeDbContext> Finish(DbContextOptionsBuilder<ExchangeDbContext> builder) =>
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
