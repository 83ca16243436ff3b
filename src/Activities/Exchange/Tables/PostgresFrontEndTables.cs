using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PdsWorkflow.Activities.Accounts.FrontEnd;

namespace PdsWorkflow.Activities.Exchange.Tables;

/// <summary>
/// Front-end tables on PostgreSQL: schema <c>fe_&lt;code&gt;</c> per department. Reads with a binary <c>COPY … TO STDOUT</c>
/// that casts each source column to its item's type; loads with a binary <c>COPY … FROM STDIN</c> inside one transaction
/// (a full load drops and recreates the table in it, an incremental one copies into a temporary table and upserts
/// with <c>ON CONFLICT</c>). Identifiers are double-quoted: the columns are the catalog's Chinese item names.
/// </summary>
public sealed class PostgresFrontEndTables(IOptions<FrontEndOptions> options) : IFrontEndTables
{
    private static string Id(string name) => PostgresFrontEndDatabase.Identifier(name);

    private static string Qualified(FrontEndTable table) => $"{Id(table.Schema)}.{Id(table.Name)}";

    public string Describe(FrontEndTable table) => $"PostgreSQL {table.Schema}.{table.Name}";

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(options.Value.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<FoundTable?> FindAsync(FrontEndTable table, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await FindAsync(connection, table, cancellationToken);
    }

    private static async Task<FoundTable?> FindAsync(NpgsqlConnection connection, FrontEndTable table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, a.attname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = $1 AND lower(c.relname) = lower($2) AND c.relkind IN ('r', 'v', 'p', 'm')
            ORDER BY c.relname = $2 DESC, c.relname, a.attnum
            """, connection);
        command.Parameters.AddWithValue(table.Schema);
        command.Parameters.AddWithValue(table.Name);
        string? name = null;
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            name ??= reader.GetString(0);
            if (reader.GetString(0) == name) columns.Add(reader.GetString(1));
        }

        return name is null ? null : new FoundTable(name, columns);
    }

    public async Task<long> CountAsync(FrontEndTable table, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {Qualified(table)}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(FrontEndTable table, IReadOnlyList<ExchangeColumn> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var select = string.Join(", ", columns.Select(c => $"{Id(c.Name)}::{c.PostgresReadType}"));
        await using var exporter = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT {select} FROM {Qualified(table)}) TO STDOUT (FORMAT BINARY)", cancellationToken);
        while (await exporter.StartRowAsync(cancellationToken) != -1)
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                if (exporter.IsNull)
                {
                    await exporter.SkipAsync(cancellationToken);
                    continue;
                }

                row[i] = columns[i].Kind switch
                {
                    ExchangeValueKind.Text => await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                    ExchangeValueKind.Decimal => await exporter.ReadAsync<decimal>(NpgsqlDbType.Numeric, cancellationToken),
                    ExchangeValueKind.Date => await exporter.ReadAsync<DateOnly>(NpgsqlDbType.Date, cancellationToken),
                    ExchangeValueKind.Timestamp => await exporter.ReadAsync<DateTime>(NpgsqlDbType.Timestamp, cancellationToken),
                    ExchangeValueKind.Boolean => await exporter.ReadAsync<bool>(NpgsqlDbType.Boolean, cancellationToken),
                    ExchangeValueKind.Binary => await exporter.ReadAsync<byte[]>(NpgsqlDbType.Bytea, cancellationToken),
                    ExchangeValueKind.Integer => await exporter.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken),
                    ExchangeValueKind.Double => await exporter.ReadAsync<double>(NpgsqlDbType.Double, cancellationToken),
                    _ => throw new InvalidOperationException($"Unexpected kind {columns[i].Kind}."),
                };
            }

            yield return row;
        }
    }

    /// <summary>
    /// 23505 (unique violation) and 21000 (an upsert touching one row twice): a duplicate key; class 22 (data exception):
    /// a value the column's type cannot hold.
    /// </summary>
    public DataFault? DataFaultOf(Exception exception) => exception switch
    {
        PostgresException { SqlState: "23505" or "21000" } pg => new DataFault(true, pg.MessageText),
        PostgresException { SqlState: var state } pg when state.StartsWith("22", StringComparison.Ordinal) => new DataFault(false, pg.MessageText),
        _ => null,
    };

    public async Task<long> LoadAsync(TableLoad load, IAsyncEnumerable<object?[]> rows, int batchSize, Func<long, Task> batchDone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(batchDone);
        var table = Qualified(load.Table);
        var names = string.Join(", ", load.Columns.Select(c => Id(c.Name)));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Id(load.Table.Schema)}", cancellationToken);

        var existing = await FindAsync(connection, load.Table, cancellationToken);
        var sameColumns = existing is not null && existing.Name == load.Table.Name &&
                          existing.Columns.ToHashSet().SetEquals(load.Columns.Select(c => c.Name));
        var upsert = load.Mode == TableExchangeMode.Incremental && sameColumns;
        string into;
        if (upsert)
        {
            await ExecuteAsync(connection, $"CREATE UNIQUE INDEX IF NOT EXISTS {Id(KeyIndex(load))} ON {table} ({Id(load.Key!)})", cancellationToken);
            await ExecuteAsync(connection, $"CREATE TEMP TABLE pds_exchange_load (LIKE {table}) ON COMMIT DROP", cancellationToken);
            into = "pds_exchange_load";
        }
        else
        {
            var definitions = load.Columns.Select(c => $"{Id(c.Name)} {c.PostgresType}").ToList();
            if (load.Key is { } key) definitions.Add($"PRIMARY KEY ({Id(key)})");
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {table}", cancellationToken);
            await ExecuteAsync(connection, $"CREATE TABLE {table} ({string.Join(", ", definitions)})", cancellationToken);
            into = table;
        }

        long written = 0;
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {into} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                await importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < load.Columns.Count; i++)
                {
                    if (row[i] is null) await importer.WriteNullAsync(cancellationToken);
                    else await WriteAsync(importer, load.Columns[i], row[i]!, cancellationToken);
                }

                if (++written % batchSize == 0) await batchDone(written);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        if (upsert)
        {
            var keyColumn = Id(load.Key!);
            var updates = load.Columns.Where(c => c.Name != load.Key).Select(c => $"{Id(c.Name)} = EXCLUDED.{Id(c.Name)}").ToList();
            var onConflict = updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates);
            await ExecuteAsync(connection, $"INSERT INTO {table} ({names}) SELECT {names} FROM pds_exchange_load ON CONFLICT ({keyColumn}) {onConflict}",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await batchDone(written);
        return written;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, ExchangeColumn column, object value, CancellationToken cancellationToken) => column.Kind switch
    {
        ExchangeValueKind.Text => importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken),
        ExchangeValueKind.Decimal => importer.WriteAsync((decimal)value, NpgsqlDbType.Numeric, cancellationToken),
        ExchangeValueKind.Date => importer.WriteAsync((DateOnly)value, NpgsqlDbType.Date, cancellationToken),
        ExchangeValueKind.Timestamp => importer.WriteAsync(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp, cancellationToken),
        ExchangeValueKind.Boolean => importer.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken),
        ExchangeValueKind.Binary => importer.WriteAsync((byte[])value, NpgsqlDbType.Bytea, cancellationToken),
        ExchangeValueKind.Integer => importer.WriteAsync((long)value, NpgsqlDbType.Bigint, cancellationToken),
        ExchangeValueKind.Double => importer.WriteAsync((double)value, NpgsqlDbType.Double, cancellationToken),
        _ => throw new InvalidOperationException($"Unexpected kind {column.Kind}."),
    };

    /// <summary>The unique index an incremental load upserts on; hashed, so that it fits PostgreSQL's 63 bytes.</summary>
    private static string KeyIndex(TableLoad load) =>
        "ux_pds_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(load.Table.Name + "/" + load.Key)))[..16];

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
