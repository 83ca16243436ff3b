using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PdsWorkflow.Workflows.Integrity;
using Quartz;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>
/// PostgreSQL (and the servers compatible with it), shared by several Host nodes: bursts of one instance are serialised
/// by a row lock (<c>SELECT … FOR UPDATE</c>, held to the end of the transaction), outbox messages are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, and Quartz's job store is clustered.
/// </summary>
public sealed class PostgreSqlDialect : DatabaseDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    /// <summary>The oldest due message no other node holds, locked until this node's transaction ends.</summary>
    private const string ClaimOutboxSql = $$"""
        SELECT * FROM "{{WorkflowDbContext.Tables.Outbox}}"
        WHERE "SentAt" IS NULL AND "DeadAt" IS NULL AND "NextAttemptAt" <= {0} AND "Type" = ANY({1})
        ORDER BY "NextAttemptAt" LIMIT 1 FOR UPDATE SKIP LOCKED
        """;

    private const string LockInstanceSql = $"SELECT * FROM \"{WorkflowDbContext.Tables.Instances}\" WHERE \"Id\" = {{0}} FOR UPDATE";

    private const string LockStreamSql = $"SELECT * FROM \"{WorkflowDbContext.Tables.Streams}\" WHERE \"Stream\" = {{0}} FOR UPDATE";

    private PostgreSqlDialect()
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override string EntityFrameworkProvider => "Npgsql.EntityFrameworkCore.PostgreSQL";

    public override bool IsEmbedded => false;

    public override bool AllowsConcurrentWriters => true;

    public override string? DriverTelemetryName => "Npgsql";

    public override DbContextOptionsBuilder UseDatabase(DbContextOptionsBuilder builder, string connectionString, string migrationsHistoryTable) =>
        builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(migrationsHistoryTable));

    public override DbContextOptionsBuilder UseConnection(DbContextOptionsBuilder builder, DbConnection connection) => builder.UseNpgsql(connection);

    public override DbDataSource CreateDataSource(string connectionString) => NpgsqlDataSource.Create(connectionString);

    /// <summary>Clustered: the nodes share the triggers, and each fires on one node.</summary>
    public override void UseJobStore(IPersistentStoreBuilder store, string dataSourceKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.UsePostgres(o => o.DataSourceServiceKey = dataSourceKey);
        store.UseClustering(_ => { });
    }

    /// <summary>The row comes from the <c>SELECT … FOR UPDATE</c> that locks it: one round trip.</summary>
    public override async Task<InstanceRecord?> LockAndReadInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken)
    {
        await foreach (var instance in db.Instances.FromSqlRaw(LockInstanceSql, instanceId).AsAsyncEnumerable().WithCancellation(cancellationToken))
            return instance;
        return null;
    }

    public override Task<StreamRecord?> LockAndReadStreamAsync(WorkflowDbContext db, string stream, CancellationToken cancellationToken) =>
        db.Streams.FromSqlRaw(LockStreamSql, stream).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Begins <paramref name="db"/>'s transaction and locks the message's row in it until the result is committed, so
    /// several nodes share the work and never hand the same message over at the same time; a node that dies releases
    /// its lock with its connection.
    /// </summary>
    public override async Task<OutboxRecord?> ClaimOutboxMessageAsync(WorkflowDbContext db, DateTime now, string[] types, CancellationToken cancellationToken)
    {
        await db.Database.BeginTransactionAsync(cancellationToken);
        return (await db.Outbox.FromSqlRaw(ClaimOutboxSql, now, types).ToListAsync(cancellationToken)).SingleOrDefault();
    }

    protected override bool IsTransientError(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    protected override bool IsUniqueViolationError(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>22021: a NUL character, which PostgreSQL's text cannot hold.</summary>
    protected override bool IsUnstorableTextError(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire };
}
