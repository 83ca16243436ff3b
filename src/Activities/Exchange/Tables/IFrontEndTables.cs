using PdsWorkflow.Activities.Accounts.FrontEnd;

namespace PdsWorkflow.Activities.Exchange.Tables;

/// <summary>A table in a department's front-end exchange database (schema or file <c>fe_&lt;code&gt;</c>).</summary>
public sealed record FrontEndTable(string DepartmentCode, string Name)
{
    public string Schema => FrontEndNames.Schema(DepartmentCode);
}

public enum TableExchangeMode
{
    /// <summary>The receiving table is rebuilt with the provider's rows, in one transaction.</summary>
    Full,

    /// <summary>The provider's rows are upserted by the key; rows the provider no longer has stay.</summary>
    Incremental,
}

/// <summary>A load into a receiving table: its columns, and for an incremental load the key column.</summary>
public sealed record TableLoad(FrontEndTable Table, IReadOnlyList<ExchangeColumn> Columns, TableExchangeMode Mode, string? Key);

/// <summary>A table as found: its actual name and its columns.</summary>
public sealed record FoundTable(string Name, IReadOnlyList<string> Columns);

/// <summary>
/// A failure of the receiving server that the provider's data caused, so that retrying fails the same way: a duplicate
/// value of the key, or a value the column's type cannot hold (<see cref="Message"/>: the server's words).
/// </summary>
public sealed record DataFault(bool DuplicateKey, string Message);

/// <summary>
/// Rows in and out of the departments' front-end exchange databases (前置库), on the server of <see cref="FrontEndOptions"/>:
/// PostgreSQL (binary COPY) or SQLite files (batched INSERTs in one transaction).
/// </summary>
public interface IFrontEndTables
{
    /// <summary>"PostgreSQL" or "SQLite", and where the table is, for the journal.</summary>
    string Describe(FrontEndTable table);

    /// <summary>The table with its columns (its name matched case-insensitively), or null when there is none.</summary>
    Task<FoundTable?> FindAsync(FrontEndTable table, CancellationToken cancellationToken);

    Task<long> CountAsync(FrontEndTable table, CancellationToken cancellationToken);

    /// <summary>Streams the table's rows, each value converted to its column's CLR type (<see cref="ExchangeValueKind"/>).</summary>
    IAsyncEnumerable<object?[]> ReadAsync(FrontEndTable table, IReadOnlyList<ExchangeColumn> columns, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the table when needed (a full load recreates it) and loads <paramref name="rows"/> in one transaction of the
    /// receiving database, calling <paramref name="batchDone"/> with the rows written so far after every
    /// <paramref name="batchSize"/> rows. Nothing is visible to the table's readers before the commit. Returns the rows written.
    /// </summary>
    Task<long> LoadAsync(TableLoad load, IAsyncEnumerable<object?[]> rows, int batchSize, Func<long, Task> batchDone, CancellationToken cancellationToken);

    /// <summary>What <paramref name="exception"/>, thrown by this server, says about the provider's data; null when it is not the data's fault.</summary>
    DataFault? DataFaultOf(Exception exception);
}
