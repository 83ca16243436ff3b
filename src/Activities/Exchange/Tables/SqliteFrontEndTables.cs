using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts.FrontEnd;

namespace PdsWorkflow.Activities.Exchange.Tables;

/// <summary>
/// Front-end tables on the embedded default: one SQLite file <c>FrontEnd:SqliteFolder/fe_&lt;code&gt;.db</c> per department
/// (as <see cref="SqliteFrontEndDatabase"/>). A load is one transaction of prepared INSERTs (an incremental one with
/// <c>ON CONFLICT … DO UPDATE</c>); dates and timestamps are ISO 8601 text.
/// </summary>
public sealed class SqliteFrontEndTables(IOptions<FrontEndOptions> options) : IFrontEndTables
{
    private static string Id(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string FileOf(FrontEndTable table) => Path.Combine(Path.GetFullPath(options.Value.SqliteFolder), table.Schema + ".db");

    public string Describe(FrontEndTable table) => $"SQLite {FileOf(table)} 表 {table.Name}";

    private async Task<SqliteConnection> OpenAsync(FrontEndTable table, CancellationToken cancellationToken)
    {
        var file = FileOf(table);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<FoundTable?> FindAsync(FrontEndTable table, CancellationToken cancellationToken)
    {
        if (!File.Exists(FileOf(table))) return null;
        await using var connection = await OpenAsync(table, cancellationToken);
        return await FindAsync(connection, null, table, cancellationToken);
    }

    private static async Task<FoundTable?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, FrontEndTable table, CancellationToken cancellationToken)
    {
        string? name;
        await using (var find = new SqliteCommand("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower($name) ORDER BY name = $name DESC LIMIT 1", connection, transaction))
        {
            find.Parameters.AddWithValue("$name", table.Name);
            name = await find.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (name is null) return null;
        var columns = new List<string>();
        await using var list = new SqliteCommand("SELECT name FROM pragma_table_info($name) ORDER BY cid", connection, transaction);
        list.Parameters.AddWithValue("$name", name);
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) columns.Add(reader.GetString(0));
        return new FoundTable(name, columns);
    }

    public async Task<long> CountAsync(FrontEndTable table, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(table, cancellationToken);
        await using var command = new SqliteCommand($"SELECT count(*) FROM {Id(table.Name)}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(FrontEndTable table, IReadOnlyList<ExchangeColumn> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(table, cancellationToken);
        await using var command = new SqliteCommand($"SELECT {string.Join(", ", columns.Select(c => Id(c.Name)))} FROM {Id(table.Name)}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++) row[i] = columns[i].Convert(reader.GetValue(i));
            yield return row;
        }
    }

    /// <summary>SQLITE_CONSTRAINT: the key's unique index refused a second row with the same value.</summary>
    public DataFault? DataFaultOf(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19 } sqlite ? new DataFault(true, sqlite.Message) : null;

    public async Task<long> LoadAsync(TableLoad load, IAsyncEnumerable<object?[]> rows, int batchSize, Func<long, Task> batchDone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(batchDone);
        var table = Id(load.Table.Name);
        await using var connection = await OpenAsync(load.Table, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var existing = await FindAsync(connection, transaction, load.Table, cancellationToken);
        var sameColumns = existing is not null && existing.Name == load.Table.Name &&
                          existing.Columns.ToHashSet().SetEquals(load.Columns.Select(c => c.Name));
        var upsert = load.Mode == TableExchangeMode.Incremental && sameColumns;
        if (upsert)
        {
            await ExecuteAsync(transaction, $"CREATE UNIQUE INDEX IF NOT EXISTS {Id("ux_pds_" + load.Table.Name)} ON {table} ({Id(load.Key!)})", cancellationToken);
        }
        else
        {
            var definitions = load.Columns.Select(c => $"{Id(c.Name)} {c.SqliteType}").ToList();
            if (load.Key is { } key) definitions.Add($"PRIMARY KEY ({Id(key)})");
            await ExecuteAsync(transaction, $"DROP TABLE IF EXISTS {table}", cancellationToken);
            await ExecuteAsync(transaction, $"CREATE TABLE {table} ({string.Join(", ", definitions)})", cancellationToken);
        }

        var names = string.Join(", ", load.Columns.Select(c => Id(c.Name)));
        var values = string.Join(", ", load.Columns.Select((_, i) => $"$p{i}"));
        var sql = $"INSERT INTO {table} ({names}) VALUES ({values})";
        if (upsert)
        {
            var updates = load.Columns.Where(c => c.Name != load.Key).Select(c => $"{Id(c.Name)} = excluded.{Id(c.Name)}").ToList();
            sql += $" ON CONFLICT ({Id(load.Key!)}) " + (updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates));
        }

        await using var insert = new SqliteCommand(sql, connection, transaction);
        var parameters = load.Columns.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
        long written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].SqliteType = SqliteTypeOf(load.Columns[i].Kind);
                parameters[i].Value = Storable(row[i]);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (++written % batchSize == 0) await batchDone(written);
        }

        await transaction.CommitAsync(cancellationToken);
        await batchDone(written);
        return written;
    }

    private static SqliteType SqliteTypeOf(ExchangeValueKind kind) => kind switch
    {
        ExchangeValueKind.Boolean or ExchangeValueKind.Integer => SqliteType.Integer,
        ExchangeValueKind.Double => SqliteType.Real,
        ExchangeValueKind.Binary => SqliteType.Blob,
        _ => SqliteType.Text,
    };

    /// <summary>What SQLite stores: decimals as their invariant text (NUMERIC affinity keeps it exact when it can), dates as ISO 8601.</summary>
    private static object Storable(object? value) => value switch
    {
        null => DBNull.Value,
        decimal d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        _ => value,
    };

    private static async Task ExecuteAsync(SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, transaction.Connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
