using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PdsWorkflow.Workflows.Integrity;
using Quartz;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>
/// Everything that differs between the servers the product's database can be on, in one place: how a context and
/// Quartz's job store connect, the row locks that serialise bursts, the <c>SKIP LOCKED</c> claim of outbox messages,
/// insert-or-ignore, multi-row inserts and counters, and which errors are transient or a unique violation. One subclass per
/// <see cref="DatabaseProvider"/> (<see cref="SqliteDialect"/>, <see cref="PostgreSqlDialect"/>); a third server
/// (SQL Server, say) is a third subclass listed in <see cref="All"/>, and nothing outside the subclasses asks which
/// provider it runs on. (The departments' front-end databases are another server with a seam of their own:
/// <c>IFrontEndDatabase</c> and <c>IFrontEndTables</c>, chosen by <c>FrontEndProvider</c> in src/Activities.)
/// </summary>
public abstract class DatabaseDialect
{
    private static readonly DatabaseDialect[] All = [SqliteDialect.Instance, PostgreSqlDialect.Instance];

    /// <summary>The dialect of a provider; null for a value no dialect serves (the options validator names it).</summary>
    public static DatabaseDialect? Find(DatabaseProvider provider) => Array.Find(All, d => d.Provider == provider);

    /// <exception cref="InvalidOperationException">No dialect serves <paramref name="provider"/>.</exception>
    public static DatabaseDialect For(DatabaseProvider provider) =>
        Find(provider) ?? throw new InvalidOperationException($"Unsupported database provider {provider}.");

    /// <summary>The dialect of the server a context is on, for code that has a context but not the store.</summary>
    public static DatabaseDialect Of(DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Array.Find(All, d => d.EntityFrameworkProvider == database.ProviderName)
               ?? throw new InvalidOperationException($"No database dialect for the EF Core provider {database.ProviderName}.");
    }

    public abstract DatabaseProvider Provider { get; }

    /// <summary>The EF Core provider's assembly name, as <see cref="DatabaseFacade.ProviderName"/> reports it.</summary>
    protected abstract string EntityFrameworkProvider { get; }

    /// <summary>
    /// An embedded database in a file on this machine (one node), rather than a server several Host nodes share. The Host
    /// seeds the demo data on the first start of an embedded database only.
    /// </summary>
    public abstract bool IsEmbedded { get; }

    /// <summary>
    /// Whether a second connection may write while a unit of work holds its transaction open. False on SQLite, where a
    /// transaction holds the database's only write lock (it begins IMMEDIATE), so a second writer would wait for the first
    /// to commit; work that would write beside a burst (progress, counters) then stays inside it.
    /// </summary>
    public abstract bool AllowsConcurrentWriters { get; }

    /// <summary>
    /// The name of the ADO.NET driver's own <c>ActivitySource</c> and <c>Meter</c> for database commands (Npgsql's), or
    /// null when the driver has none and EF Core's diagnostics are traced instead.
    /// </summary>
    public virtual string? DriverTelemetryName => null;

    /// <summary>EF Core on <paramref name="connectionString"/>, with its migrations history in <paramref name="migrationsHistoryTable"/>.</summary>
    public abstract DbContextOptionsBuilder UseDatabase(DbContextOptionsBuilder builder, string connectionString, string migrationsHistoryTable);

    /// <summary>EF Core on a connection another context opened (a module joining a burst).</summary>
    public abstract DbContextOptionsBuilder UseConnection(DbContextOptionsBuilder builder, DbConnection connection);

    /// <summary>An ADO.NET data source on the database, for Quartz's job store.</summary>
    public abstract DbDataSource CreateDataSource(string connectionString);

    /// <summary>Quartz's job store on the data source registered under <paramref name="dataSourceKey"/>: its SQL dialect, and clustering where several nodes can share it.</summary>
    public abstract void UseJobStore(IPersistentStoreBuilder store, string dataSourceKey);

    /// <summary>The connection string with a relative database file placed by <paramref name="anchor"/>; a server's is returned as it is.</summary>
    public virtual string AnchorFiles(string connectionString, Func<string, string> anchor) => connectionString;

    /// <summary>What the database needs before the first migration of a start (a file's folder, a journal mode).</summary>
    public virtual Task PrepareAsync(DatabaseFacade database, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A tracked read of an instance row that serialises bursts of the instance to the end of the transaction. Null when
    /// there is no such instance.
    /// </summary>
    public abstract Task<InstanceRecord?> LockAndReadInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken);

    /// <summary>A global stream's head row, tracked and locked to the end of the transaction; null when there is none.</summary>
    public abstract Task<StreamRecord?> LockAndReadStreamAsync(WorkflowDbContext db, string stream, CancellationToken cancellationToken);

    /// <summary>
    /// The oldest outbox message of <paramref name="types"/> due at <paramref name="now"/> that no other node is
    /// delivering, tracked, for this node to deliver; null when there is none. Where the dialect holds the claim with a
    /// lock, it has begun <paramref name="db"/>'s transaction, which the caller commits with the delivery's result.
    /// </summary>
    public abstract Task<OutboxRecord?> ClaimOutboxMessageAsync(WorkflowDbContext db, DateTime now, string[] types, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a row unless one with the same key (primary or unique) exists, in one statement that two writers can run at
    /// once; returns the rows inserted (0 or 1). The <c>ON CONFLICT DO NOTHING</c> both SQLite and PostgreSQL speak.
    /// </summary>
    public virtual Task<int> InsertOrIgnoreAsync(DatabaseFacade database, string table, IReadOnlyList<(string Column, object? Value)> values,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(values);
        var columns = string.Join(", ", values.Select(v => Quote(v.Column)));
        var parameters = string.Join(", ", values.Select((_, i) => $"{{{i}}}"));
        // Identifiers come from code and are quoted; every value is a parameter.
        var sql = $"INSERT INTO {Quote(table)} ({columns}) VALUES ({parameters}) ON CONFLICT DO NOTHING";
        return database.ExecuteSqlRawAsync(sql, values.Select(v => v.Value).ToArray()!, cancellationToken);
    }

    /// <summary>
    /// The name of the <paramref name="index"/>th parameter of <see cref="AppendInsert"/>, as the driver finds it in the
    /// statement at once (Microsoft.Data.Sqlite looks a name up as given, then with each prefix: without its prefix, a
    /// multi-row insert of a few hundred values spent milliseconds on the lookups alone).
    /// </summary>
    protected virtual string ParameterName(int index) => "b" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The most parameters one statement of <see cref="AppendInsert"/> binds (SQLite allows 32,766; PostgreSQL 65,535).</summary>
    protected virtual int MaxParametersPerStatement => 30_000;

    /// <summary>
    /// Whether the statements of <see cref="AppendInsert"/> go to the server one command each: where the driver binds every
    /// parameter of a command to every statement of it by name (Microsoft.Data.Sqlite), several statements in one command
    /// cost a name lookup per parameter and statement.
    /// </summary>
    public virtual bool OneStatementPerCommand => false;

    /// <summary>How many rows of <paramref name="type"/> one statement of <see cref="AppendInsert"/> takes.</summary>
    public int RowsPerStatement(IEntityType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Math.Max(1, MaxParametersPerStatement / Math.Max(1, type.GetProperties().Count()));
    }

    /// <summary>
    /// Appends to <paramref name="sql"/> one statement that inserts <paramref name="rows"/> (tracked entries of one entity
    /// type) into their table: several rows in one statement (more when they exceed the statement's parameters), <c>INSERT … VALUES (…), (…)</c>, and with <paramref name="ignoreConflicts"/>
    /// none that would repeat a key (primary or unique), <c>ON CONFLICT DO NOTHING</c>, the form both SQLite and PostgreSQL
    /// speak. The values become <paramref name="parameters"/> created by each column's own EF Core type mapping (so a row
    /// is stored as EF Core would store it), referenced as <c>{n}</c> for <c>ExecuteSqlRaw</c>.
    /// </summary>
    public virtual void AppendInsert(StringBuilder sql, List<object> parameters, DbCommand factory, IReadOnlyList<EntityEntry> rows, bool ignoreConflicts)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        var type = rows[0].Metadata;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = type.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table))).Where(c => c.Column is not null).ToList();
        var perStatement = RowsPerStatement(type);
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Metadata != type) throw new ArgumentException("The rows of one insert are of one entity type.", nameof(rows));
            if (r % perStatement == 0)
            {
                if (r > 0) sql.Append(ignoreConflicts ? " ON CONFLICT DO NOTHING;\n" : ";\n");
                sql.Append("INSERT INTO ").Append(Quote(table.Name)).Append(" (").AppendJoin(", ", columns.Select(c => Quote(c.Column!))).Append(") VALUES (");
            }
            else
            {
                sql.Append(", (");
            }

            for (var c = 0; c < columns.Count; c++)
            {
                var (property, _) = columns[c];
                var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
                var parameter = mapping.CreateParameter(factory, ParameterName(parameters.Count),
                    rows[r].Property(property.Name).CurrentValue, property.IsNullable);
                if (c > 0) sql.Append(", ");
                sql.Append('{').Append(parameters.Count).Append('}');
                parameters.Add(parameter);
            }

            sql.Append(')');
        }

        sql.Append(ignoreConflicts ? " ON CONFLICT DO NOTHING;\n" : ";\n");
    }

    /// <summary>
    /// Adds one to the counter of the row keyed by <paramref name="key"/> (creating the row at 1) and answers the new
    /// value, in one statement: no two callers can read the same value. The upsert with <c>RETURNING</c> both SQLite and
    /// PostgreSQL speak.
    /// </summary>
    public virtual async Task<long> IncrementAsync(DatabaseFacade database, string table, IReadOnlyList<(string Column, object Value)> key,
        string counterColumn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(key);
        var columns = string.Join(", ", key.Select(k => Quote(k.Column)));
        var parameters = string.Join(", ", key.Select((_, i) => $"{{{i}}}"));
        var counter = Quote(counterColumn);
        var sql = $"INSERT INTO {Quote(table)} ({columns}, {counter}) VALUES ({parameters}, 1) " +
                  $"ON CONFLICT ({columns}) DO UPDATE SET {counter} = {Quote(table)}.{counter} + 1 RETURNING {counter} AS \"Value\"";
        return (await database.SqlQueryRaw<long>(sql, key.Select(k => k.Value).ToArray()).ToListAsync(cancellationToken)).Single();
    }

    /// <summary>A deadlock, a serialization failure or a busy database: the unit of work may succeed when run again from scratch.</summary>
    public bool IsTransient(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        DbException db when IsTransientError(db) => true,
        DbException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>A write refused because a row with the same unique key exists (another writer got there first).</summary>
    public bool IsUniqueViolation(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => IsUniqueViolation(inner),
        DbException db => IsUniqueViolationError(db),
        _ => false,
    };

    /// <summary>Text the database cannot store (a NUL character on PostgreSQL): the input's fault, not the system's.</summary>
    public bool IsUnstorableText(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: { } inner } => IsUnstorableText(inner),
        DbException db => IsUnstorableTextError(db),
        _ => false,
    };

    protected abstract bool IsTransientError(DbException exception);

    protected abstract bool IsUniqueViolationError(DbException exception);

    protected virtual bool IsUnstorableTextError(DbException exception) => false;

    /// <summary>A double-quoted identifier (both dialects' SQL standard quoting).</summary>
    protected static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
