using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>Opens units of work on the engine's database and knows the provider's locking and migration quirks.</summary>
public sealed class WorkflowStore(IDbContextFactory<WorkflowDbContext> factory, IOptions<WorkflowDatabaseOptions> options)
{
    private const int MaxTransientRetries = 5;

    public DatabaseProvider Provider => options.Value.Provider;

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
            catch (Exception ex) when (attempt < MaxTransientRetries && IsTransient(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// A tracked read of the instance row that serialises bursts of one instance, in one round trip. PostgreSQL: the row
    /// comes from a <c>SELECT … FOR UPDATE</c>, locked to the end of the transaction; SQLite transactions begin IMMEDIATE
    /// (Microsoft.Data.Sqlite's default), which already admits one writer at a time. Null when there is no such instance.
    /// </summary>
    public async Task<InstanceRecord?> LockAndReadInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken)
    {
        if (Provider != DatabaseProvider.PostgreSql) return await _instanceById(db, instanceId, cancellationToken);
        return await LockAndReadPostgreSqlAsync(db, instanceId, cancellationToken);
    }

    /// <summary>
    /// <see cref="LockAndReadInstanceAsync"/> for a caller that has a context but not the store (the integrity seal, which
    /// the store's own contexts are built with): the provider is the context's.
    /// </summary>
    internal static async Task<InstanceRecord?> LockAndReadAnyInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? await LockAndReadPostgreSqlAsync(db, instanceId, cancellationToken)
            : await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);

    private static async Task<InstanceRecord?> LockAndReadPostgreSqlAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken)
    {
        var locked = db.Instances.FromSqlRaw($"SELECT * FROM \"{WorkflowDbContext.Tables.Instances}\" WHERE \"Id\" = {{0}} FOR UPDATE", instanceId);
        await foreach (var instance in locked.AsAsyncEnumerable().WithCancellation(cancellationToken)) return instance;
        return null;
    }

    /// <summary>A global stream's head row, locked to the end of the transaction on PostgreSQL (SQLite's transaction holds the write lock); null when there is none.</summary>
    internal static Task<Integrity.StreamRecord?> LockAndReadStreamAsync(WorkflowDbContext db, string stream, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Streams.FromSqlRaw($"SELECT * FROM \"{WorkflowDbContext.Tables.Streams}\" WHERE \"Stream\" = {{0}} FOR UPDATE", stream).FirstOrDefaultAsync(cancellationToken)
            : db.Streams.FirstOrDefaultAsync(s => s.Stream == stream, cancellationToken);

    private readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<InstanceRecord?>> _instanceById =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) => db.Instances.FirstOrDefault(i => i.Id == id));

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteFolder(db.Database.GetConnectionString());
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    internal static void Configure(DbContextOptionsBuilder builder, WorkflowDatabaseOptions options)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(WithSqliteDefaults(options.ConnectionString), o => o.MigrationsHistoryTable("__wf_migrations"));
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(options.ConnectionString, o => o.MigrationsHistoryTable("__wf_migrations"));
                break;
            default:
                throw new InvalidOperationException($"Unsupported database provider {options.Provider}.");
        }

        // The migrations are hand-written and have no model snapshot to compare against.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>A SQLite connection string with the busy timeout every connection to the product's file uses.</summary>
    internal static string WithSqliteDefaults(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Default Timeout") || builder.DefaultTimeout == 30) builder.DefaultTimeout = 60;
        return builder.ToString();
    }

    private static void EnsureSqliteFolder(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:") return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    private static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        DbException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };
}
