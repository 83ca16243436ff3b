using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// Loads many rows into one table: binary COPY on PostgreSQL, one prepared INSERT in one transaction on SQLite (values
/// converted as EF Core stores them there: GUIDs as upper-case text). On SQLite the table's secondary indexes are
/// dropped for the load and created again afterwards from their own recorded DDL, so the schema ends identical to the
/// product's and a million rows load in one sort per index instead of a million random B-tree inserts each.
/// </summary>
internal sealed class BulkLoader : IAsyncDisposable
{
    private readonly NpgsqlConnection? _postgres;
    private readonly NpgsqlBinaryImporter? _copy;
    private readonly SqliteConnection? _sqlite;
    private readonly SqliteTransaction? _transaction;
    private readonly SqliteCommand? _insert;
    private readonly IReadOnlyList<string> _indexes = [];

    private BulkLoader(NpgsqlConnection postgres, NpgsqlBinaryImporter copy)
    {
        _postgres = postgres;
        _copy = copy;
    }

    private BulkLoader(SqliteConnection sqlite, SqliteTransaction transaction, SqliteCommand insert, IReadOnlyList<string> indexes)
    {
        _sqlite = sqlite;
        _transaction = transaction;
        _insert = insert;
        _indexes = indexes;
    }

    public long Rows { get; private set; }

    public static async Task<BulkLoader> OpenAsync(BenchEngine bench, string table, params string[] columns)
    {
        var quoted = string.Join(", ", columns.Select(c => $"\"{c}\""));
        if (bench.Provider == DatabaseProvider.PostgreSql)
        {
            var connection = new NpgsqlConnection(bench.ConnectionString);
            await connection.OpenAsync();
            var copy = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({quoted}) FROM STDIN (FORMAT BINARY)");
            return new BulkLoader(connection, copy);
        }

        var sqlite = new SqliteConnection(SqliteDialect.WithDefaults(bench.ConnectionString));
        await sqlite.OpenAsync();
        // The primary keys stay while loading (a composite key is a B-tree of its own): a page cache that holds them keeps
        // millions of inserts in random key order off the disk. This connection is the loader's alone.
        await using (var cache = sqlite.CreateCommand())
        {
            cache.CommandText = "PRAGMA cache_size = -262144";
            await cache.ExecuteNonQueryAsync();
        }

        var transaction = (SqliteTransaction)await sqlite.BeginTransactionAsync();
        var indexes = new List<string>();
        await using (var list = sqlite.CreateCommand())
        {
            list.Transaction = transaction;
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL";
            list.Parameters.AddWithValue("$table", table);
            await using var reader = await list.ExecuteReaderAsync();
            var names = new List<string>();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
                indexes.Add(reader.GetString(1));
            }

            await reader.CloseAsync();
            foreach (var name in names) await ExecuteAsync(sqlite, transaction, $"DROP INDEX \"{name}\"");
        }

        var insert = sqlite.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"{table}\" ({quoted}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++) insert.Parameters.Add(new SqliteParameter($"$p{i}", null));
        insert.Prepare();
        return new BulkLoader(sqlite, transaction, insert, indexes);
    }

    public async Task RowAsync(params object?[] values)
    {
        Rows++;
        if (_copy is not null)
        {
            await _copy.StartRowAsync();
            foreach (var value in values)
            {
                if (value is null) await _copy.WriteNullAsync();
                else await _copy.WriteAsync(value, TypeOf(value));
            }

            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            _insert!.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                Guid g => g.ToString().ToUpperInvariant(),
                var v => v,
            };
        }

        // Microsoft.Data.Sqlite runs commands synchronously; the asynchronous call only adds a task per row.
        _insert!.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            await _copy.CompleteAsync();
            await _copy.DisposeAsync();
            await _postgres!.DisposeAsync();
            return;
        }

        foreach (var index in _indexes) await ExecuteAsync(_sqlite!, _transaction!, index);
        await _transaction!.CommitAsync();
        await _insert!.DisposeAsync();
        await _transaction.DisposeAsync();
        await _sqlite!.DisposeAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlDbType TypeOf(object value) => value switch
    {
        Guid => NpgsqlDbType.Uuid,
        string => NpgsqlDbType.Text,
        DateTime => NpgsqlDbType.TimestampTz,
        bool => NpgsqlDbType.Boolean,
        int => NpgsqlDbType.Integer,
        long => NpgsqlDbType.Bigint,
        double => NpgsqlDbType.Double,
        _ => throw new ArgumentException($"No PostgreSQL type for {value.GetType()}", nameof(value)),
    };
}
