using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using PdsWorkflow.Workflows.Persistence;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Benchmarks;

/// <summary>
/// The minimal writes of one task completion, by hand through ADO.NET, in one transaction on a pooled connection:
/// (PostgreSQL: lock the instance row,) update the instance row (state JSON of the engine's size, revision, journal head),
/// delete one bookmark and insert one, update one task, insert one journal row. The floor any engine with this
/// transaction shape could reach; it runs on the engine's own database, beside its rows.
/// </summary>
internal sealed class MinimalBaseline
{
    private static readonly DateTime Now = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
    private static readonly string Hash = new('a', 64);

    private readonly bool _postgres;
    private readonly string _connectionString;
    private readonly string _state;
    private readonly (Guid Instance, Guid Task)[] _rows;
    private readonly Guid[] _bookmarks;
    private readonly long[] _sequences;

    private MinimalBaseline(BenchEngine bench, string state, (Guid Instance, Guid Task)[] rows, Guid[] bookmarks)
    {
        _postgres = bench.Provider == DatabaseProvider.PostgreSql;
        _connectionString = _postgres ? bench.ConnectionString : SqliteDialect.WithDefaults(bench.ConnectionString);
        _state = state;
        _rows = rows;
        _bookmarks = bookmarks;
        _sequences = new long[rows.Length];
    }

    /// <summary>Inserts <paramref name="rows"/> instances, each with an open bookmark and task, that <see cref="CompleteAsync"/> then cycles through.</summary>
    public static async Task<MinimalBaseline> PrepareAsync(BenchEngine bench, int rows, int stateSize)
    {
        var state = new JsonObject { ["padding"] = new string('x', Math.Max(0, stateSize - 16)) }.ToJsonString();
        var ids = Enumerable.Range(0, rows).Select(_ => (Instance: Guid.NewGuid(), Task: Guid.NewGuid())).ToArray();
        var baseline = new MinimalBaseline(bench, state, ids, ids.Select(_ => Guid.NewGuid()).ToArray());
        await using var connection = baseline.Open();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < ids.Length; i++)
        {
            var row = ids[i];
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO \"{T.Instances}\" (\"Id\", \"DefinitionId\", \"DefinitionVersionId\", \"DefinitionVersion\", \"Status\", \"StateJson\", \"CreatedAt\", \"UpdatedAt\", \"JournalSequence\", \"JournalHeadHash\", \"Revision\") " +
                "VALUES (@id, 'baseline', @id, 1, 'Suspended', @state, @now, @now, 0, '', 0)", ("id", row.Instance), ("state", state), ("now", Now));
            await InsertBookmarkAsync(connection, transaction, row.Instance, baseline._bookmarks[i]);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO \"{T.Tasks}\" (\"Id\", \"InstanceId\", \"BookmarkId\", \"ActivityId\", \"ActivityExecutionId\", \"DefinitionId\", \"Title\", \"Status\", \"SignerKind\", \"ApprovalMode\", \"AssigneeId\", \"ExtensionPending\", \"UrgeCount\", \"CreatedAt\", \"Revision\") " +
                "VALUES (@id, @instance, @bookmark, 'step1', @id, 'baseline', '基准', 'Open', 'Primary', 'single', 'bench.step1', @no, 0, @now, 0)",
                ("id", row.Task), ("instance", row.Instance), ("bookmark", baseline._bookmarks[i]), ("no", false), ("now", Now));
        }

        await transaction.CommitAsync();
        return baseline;
    }

    /// <summary>One completion on row <paramref name="operation"/> modulo the rows (each row's journal grows by one entry).</summary>
    public async Task CompleteAsync(int operation)
    {
        var index = operation % _rows.Length;
        var (id, task) = _rows[index];
        var sequence = ++_sequences[index];
        await using var connection = Open();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (_postgres) await ExecuteAsync(connection, transaction, $"SELECT 1 FROM \"{T.Instances}\" WHERE \"Id\" = @id FOR UPDATE", ("id", id));
        await ExecuteAsync(connection, transaction,
            $"UPDATE \"{T.Instances}\" SET \"StateJson\" = @state, \"UpdatedAt\" = @now, \"JournalSequence\" = @seq, \"JournalHeadHash\" = @hash, \"Revision\" = \"Revision\" + 1 WHERE \"Id\" = @id",
            ("state", _state), ("now", Now), ("seq", sequence), ("hash", Hash), ("id", id));
        await ExecuteAsync(connection, transaction, $"DELETE FROM \"{T.Bookmarks}\" WHERE \"Id\" = @id", ("id", _bookmarks[index]));
        _bookmarks[index] = Guid.NewGuid();
        await InsertBookmarkAsync(connection, transaction, id, _bookmarks[index]);
        await ExecuteAsync(connection, transaction,
            $"UPDATE \"{T.Tasks}\" SET \"Status\" = 'Completed', \"Outcome\" = 'Approve', \"CompletedBy\" = 'bench.step1', \"CompletedAt\" = @now, \"Revision\" = \"Revision\" + 1 WHERE \"Id\" = @id",
            ("now", Now), ("id", task));
        await ExecuteAsync(connection, transaction,
            $"INSERT INTO \"{T.Journal}\" (\"InstanceId\", \"Sequence\", \"Timestamp\", \"EventName\", \"ActivityId\", \"ActivityType\", \"Outcome\", \"Actor\", \"PreviousHash\", \"Hash\") " +
            "VALUES (@id, @seq, @now, 'TaskAction', 'step1', 'UserTask', 'Approve', 'bench.step1', @hash, @hash)",
            ("id", id), ("seq", sequence), ("now", Now), ("hash", Hash));
        await transaction.CommitAsync();
    }

    private DbConnection Open() => _postgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);

    private static Task InsertBookmarkAsync(DbConnection connection, DbTransaction transaction, Guid instance, Guid bookmark) =>
        ExecuteAsync(connection, transaction,
            $"INSERT INTO \"{T.Bookmarks}\" (\"Id\", \"InstanceId\", \"ActivityId\", \"ActivityExecutionId\", \"Name\", \"Attempt\", \"Status\", \"CreatedAt\") " +
            "VALUES (@id, @instance, 'step1', @id, 'UserTask', 1, 'Open', @now)", ("id", bookmark), ("instance", instance), ("now", Now));

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
