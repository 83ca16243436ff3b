using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PdsWorkflow.Benchmarks;

/// <summary>Counts the commands EF Core sends (round trips), and the statements in them, to report SQL per operation.</summary>
internal sealed class SqlCounter : DbCommandInterceptor
{
    private long _commands;
    private long _statements;

    /// <summary>When set, each command's text is counted by its first line (what <c>--sql</c> prints).</summary>
    public ConcurrentDictionary<string, int>? Texts { get; set; }

    /// <summary>The counts so far, with the process's CPU time (all threads, the GC's included) for a per-operation figure.</summary>
    public (long Commands, long Statements, TimeSpan Cpu) Snapshot() =>
        (Interlocked.Read(ref _commands), Interlocked.Read(ref _statements), System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    private void Count(DbCommand command)
    {
        Interlocked.Increment(ref _commands);
        // EF Core ends every statement of a batch with ";" at the end of a line.
        var statements = command.CommandText.Split('\n').Count(l => l.TrimEnd().EndsWith(';'));
        Interlocked.Add(ref _statements, Math.Max(1, statements));
        if (Texts is { } texts)
            foreach (var statement in command.CommandText.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                texts.AddOrUpdate(Shorten(statement), 1, (_, n) => n + 1);
    }

    private static string Shorten(string statement)
    {
        var lines = statement.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var text = string.Join(' ', lines);
        return text.Length > 160 ? text[..160] : text;
    }
}
