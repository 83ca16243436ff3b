using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Tests.Support;

/// <summary>
/// Asks the database how it runs each statement EF Core sends while <see cref="Recording"/> is set: a command
/// interceptor that, just before a command runs, explains each of its SELECT, UPDATE and DELETE statements on the same
/// connection, in the same transaction, with the same parameters (SQLite <c>EXPLAIN QUERY PLAN</c>; PostgreSQL
/// <c>EXPLAIN (FORMAT JSON)</c> with sequential scans disabled for the one statement, so the plan shows whether an index
/// can serve it rather than what is cheapest over a handful of rows). Inserts are not explained: they find no rows.
/// </summary>
public sealed partial class StatementPlans(DatabaseProvider provider) : DbCommandInterceptor
{
    private readonly ConcurrentQueue<ExplainedStatement> _statements = new();

    /// <summary>What the statements recorded from now on are labelled with (a phase of the scenario).</summary>
    public string? Recording { get; set; }

    public IReadOnlyList<ExplainedStatement> Statements => _statements.ToList();

    public void Clear() => _statements.Clear();

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await ExplainAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await ExplainAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await ExplainAsync(command, cancellationToken);
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ExplainAsync(command, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ExplainAsync(command, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ExplainAsync(command, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private async Task ExplainAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (Recording is not { } phase) return;
        // EF Core batches a SaveChanges into one command on PostgreSQL: every statement ends with ";" at the end of a line.
        foreach (var statement in StatementEnd().Split(command.CommandText).Select(s => s.Trim().TrimEnd(';').Trim()).Where(s => s.Length > 0))
        {
            if (!Explained().IsMatch(statement)) continue;
            if (NeverTrue().IsMatch(statement))
            {
                // EF Core's rendering of an empty IN list: the database reads no row (SQLite still prints "SCAN").
                _statements.Enqueue(new ExplainedStatement(phase, statement, [new PlanStep(null, null, false, "reads no row: its condition is constant false")]));
                continue;
            }

            var steps = provider == DatabaseProvider.Sqlite
                ? await SqlitePlanAsync(command, statement, cancellationToken)
                : await PostgresPlanAsync(command, statement, cancellationToken);
            _statements.Enqueue(new ExplainedStatement(phase, statement, steps));
        }
    }

    private static async Task<IReadOnlyList<PlanStep>> SqlitePlanAsync(DbCommand command, string statement, CancellationToken cancellationToken)
    {
        var aliases = Aliases(statement);
        var steps = new List<PlanStep>();
        await using var explain = Copy(command, "EXPLAIN QUERY PLAN " + statement);
        await using var reader = await explain.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var detail = reader.GetString(3);
            // "SEARCH w USING INDEX ix (c=?)", "SCAN w", "SCAN w USING COVERING INDEX ix" (every entry of the index),
            // "SEARCH w USING AUTOMATIC COVERING INDEX (c=?)" (an index built for this one statement from a full scan).
            var match = SqliteStep().Match(detail);
            if (!match.Success || match.Groups["name"].Value == "CONSTANT")
            {
                steps.Add(new PlanStep(null, null, false, detail));
                continue;
            }

            // A name that is neither a table's alias nor a table is a subquery's (its rows come from its own steps).
            var name = match.Groups["name"].Value;
            var table = aliases.TryGetValue(name, out var aliased) ? aliased : Tables(statement).Contains(name) ? name : null;
            if (table is null)
            {
                steps.Add(new PlanStep(null, null, false, detail));
                continue;
            }

            var index = match.Groups["index"].Success ? match.Groups["index"].Value : null;
            var fullScan = match.Groups["op"].Value == "SCAN" || detail.Contains("AUTOMATIC", StringComparison.Ordinal);
            steps.Add(new PlanStep(table, index ?? (detail.Contains("PRIMARY KEY", StringComparison.Ordinal) ? "PRIMARY KEY" : null), fullScan, detail));
        }

        return steps;
    }

    private static async Task<IReadOnlyList<PlanStep>> PostgresPlanAsync(DbCommand command, string statement, CancellationToken cancellationToken)
    {
        await using (var off = Copy(command, "SET enable_seqscan = off", withParameters: false))
            await off.ExecuteNonQueryAsync(cancellationToken);
        string json;
        try
        {
            await using var explain = Copy(command, "EXPLAIN (FORMAT JSON) " + statement);
            json = (string)(await explain.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            await using var reset = Copy(command, "RESET enable_seqscan", withParameters: false);
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        var steps = new List<PlanStep>();
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement[0].GetProperty("Plan"), steps);
        return steps;
    }

    /// <summary>Each node of a PostgreSQL plan; a scan of a table counts as full unless an index condition bounds it.</summary>
    private static void Walk(JsonElement node, List<PlanStep> steps)
    {
        var type = node.GetProperty("Node Type").GetString()!;
        var table = node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null;
        var index = node.TryGetProperty("Index Name", out var name) ? name.GetString() : null;
        var bounded = node.TryGetProperty("Index Cond", out _);
        var fullScan = type switch
        {
            "Seq Scan" => true,
            "Index Scan" or "Index Only Scan" => !bounded,
            _ => false,
        };
        var text = $"{type}{(table is null ? "" : " on " + table)}{(index is null ? "" : " using " + index)}" +
                   $"{(node.TryGetProperty("Index Cond", out var condition) ? " (" + condition.GetString() + ")" : "")}";
        steps.Add(new PlanStep(table, index, fullScan, text));
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray()) Walk(child, steps);
    }

    /// <summary>A command on the same connection and transaction, with copies of the parameters the statement names.</summary>
    private static DbCommand Copy(DbCommand command, string text, bool withParameters = true)
    {
        var copy = command.Connection!.CreateCommand();
        copy.Transaction = command.Transaction;
        copy.CommandText = text;
        if (!withParameters) return copy;
        var named = ParameterName().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (DbParameter parameter in command.Parameters)
        {
            if (!named.Contains(parameter.ParameterName.TrimStart('@', ':', '$'))) continue;
            if (parameter is NpgsqlParameter npgsql)
            {
                copy.Parameters.Add(npgsql.Clone());
                continue;
            }

            var same = copy.CreateParameter();
            same.ParameterName = parameter.ParameterName;
            same.DbType = parameter.DbType;
            same.Size = parameter.Size;
            same.Value = parameter.Value;
            copy.Parameters.Add(same);
        }

        return copy;
    }

    /// <summary>The statement's table aliases (<c>"wf_tasks" AS "w"</c>, <c>wf_tasks AS w</c>), alias to table.</summary>
    private static Dictionary<string, string> Aliases(string statement)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Alias().Matches(statement)) aliases.TryAdd(match.Groups["alias"].Value, match.Groups["table"].Value);
        return aliases;
    }

    /// <summary>The tables the statement names after FROM, JOIN, UPDATE or DELETE FROM.</summary>
    private static HashSet<string> Tables(string statement) =>
        TableName().Matches(statement).Select(m => m.Groups["table"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("\\b(?:FROM|JOIN|UPDATE)\\s+\"?(?<table>[a-z_][a-z0-9_]*)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex TableName();

    [GeneratedRegex(@"^WHERE (?:0|FALSE)\s*$", RegexOptions.Multiline)]
    private static partial Regex NeverTrue();

    [GeneratedRegex(@";\r?\n")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"^\s*(SELECT|UPDATE|DELETE|WITH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Explained();

    [GeneratedRegex(@"[@:$]([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"^(?<op>SCAN|SEARCH) (?<name>[A-Za-z_][A-Za-z0-9_]*)(?: USING (?:AUTOMATIC )?(?:COVERING )?INDEX (?<index>[A-Za-z0-9_]+))?")]
    private static partial Regex SqliteStep();

    [GeneratedRegex("\"?(?<table>[a-z_][a-z0-9_]*)\"? AS \"?(?<alias>[a-z_][a-z0-9_]*)\"?")]
    private static partial Regex Alias();
}

/// <summary>A statement as EF Core sent it, the phase it was sent in, and the steps of its plan.</summary>
public sealed record ExplainedStatement(string Phase, string Sql, IReadOnlyList<PlanStep> Steps)
{
    public override string ToString() => $"[{Phase}] {Sql}\n  " + string.Join("\n  ", Steps.Select(s => s.Text));
}

/// <summary>One step of a plan: the table it reads, the index it uses, and whether it reads the whole table (or the whole index).</summary>
public sealed record PlanStep(string? Table, string? Index, bool FullScan, string Text);
