using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PdsWorkflow.Workflows.Integrity;
using Quartz;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>
/// SQLite, embedded in a file: one node. Transactions begin IMMEDIATE (Microsoft.Data.Sqlite's default), so a unit of
/// work holds the database's only write lock from its first statement to its commit: that already serialises bursts,
/// and a row needs no lock of its own.
/// </summary>
public sealed class SqliteDialect : DatabaseDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string EntityFrameworkProvider => "Microsoft.EntityFrameworkCore.Sqlite";

    public override bool IsEmbedded => true;

    public override bool AllowsConcurrentWriters => false;

    /// <summary>A connection string with the busy timeout every connection to the product's file uses (60 s for the default 30).</summary>
    public static string WithDefaults(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Default Timeout") || builder.DefaultTimeout == 30) builder.DefaultTimeout = 60;
        return builder.ToString();
    }

    public override DbContextOptionsBuilder UseDatabase(DbContextOptionsBuilder builder, string connectionString, string migrationsHistoryTable) =>
        builder.UseSqlite(WithDefaults(connectionString), o => o.MigrationsHistoryTable(migrationsHistoryTable));

    public override DbContextOptionsBuilder UseConnection(DbContextOptionsBuilder builder, DbConnection connection) => builder.UseSqlite(connection);

    public override DbDataSource CreateDataSource(string connectionString) => SqliteFactory.Instance.CreateDataSource(WithDefaults(connectionString));

    public override void UseJobStore(IPersistentStoreBuilder store, string dataSourceKey) =>
        store.UseSqlite(o => o.DataSourceServiceKey = dataSourceKey);

    public override string AnchorFiles(string connectionString, Func<string, string> anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || Path.IsPathRooted(builder.DataSource)) return connectionString;
        builder.DataSource = anchor(builder.DataSource);
        return builder.ToString();
    }

    /// <summary>The file's folder exists, and the file is in WAL mode (readers do not wait for the writer).</summary>
    public override async Task PrepareAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var dataSource = new SqliteConnectionStringBuilder(database.GetConnectionString()).DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(dataSource)) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        await database.OpenConnectionAsync(cancellationToken);
        await database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public override Task<InstanceRecord?> LockAndReadInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken) =>
        InstanceById(db, instanceId, cancellationToken);

    public override Task<StreamRecord?> LockAndReadStreamAsync(WorkflowDbContext db, string stream, CancellationToken cancellationToken) =>
        db.Streams.FirstOrDefaultAsync(s => s.Stream == stream, cancellationToken);

    /// <summary>
    /// Read without a transaction: one holding the write lock while a handler talks to another system would stop every
    /// workflow for that long. One node dispatches, so no other node can be delivering the message.
    /// </summary>
    public override Task<OutboxRecord?> ClaimOutboxMessageAsync(WorkflowDbContext db, DateTime now, string[] types, CancellationToken cancellationToken) =>
        db.Outbox.Where(m => m.SentAt == null && m.DeadAt == null && m.NextAttemptAt <= now && types.Contains(m.Type))
            .OrderBy(m => m.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// SQLite finds a parameter's name by walking the statement's list of names: binding n parameters costs n² comparisons,
    /// milliseconds for a burst of a hundred journal entries in one statement. A few hundred parameters a statement keep it
    /// small, one statement a command keeps the other statements' parameters from being looked up in it.
    /// </summary>
    protected override int MaxParametersPerStatement => 256;

    public override bool OneStatementPerCommand => true;

    /// <summary>With the prefix the statement carries (EF Core writes <c>@name</c>), so that binding finds it in one lookup.</summary>
    protected override string ParameterName(int index) => "@b" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock past the busy timeout.</summary>
    protected override bool IsTransientError(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    /// <summary>SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.</summary>
    protected override bool IsUniqueViolationError(DbException exception) => exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

    private static readonly Func<WorkflowDbContext, Guid, CancellationToken, Task<InstanceRecord?>> InstanceById =
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid id, CancellationToken _) => db.Instances.FirstOrDefault(i => i.Id == id));
}
