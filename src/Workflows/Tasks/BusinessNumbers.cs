using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// 业务编号: a readable number per prefix and year (Beijing time), 订阅-2026-000123, given to a case when it is submitted:
/// when its applicant approves their own step for the first time, or at once when the process has no applicant step.
/// Unique under concurrency, not gap-free: one upsert increments the prefix's row for the year and returns the value.
/// Where the database allows concurrent writers (PostgreSQL) it runs in its own short transaction, so that the row is
/// locked for one statement, not for the rest of the submitting burst (a burst that then rolls back leaves a gap); SQLite
/// admits one writer at a time anyway and runs it in the burst's transaction.
/// </summary>
internal static class BusinessNumbers
{
    public const int MaxPrefixLength = 10;

    /// <summary>A prefix, a dash, four digits of year, a dash and at least six digits.</summary>
    public const int MaxLength = MaxPrefixLength + 20;

    public const string DefaultPrefix = "业务";

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>What is wrong with a definition's prefix, in zh-CN, or null when it is fine (or absent).</summary>
    public static string? PrefixProblem(string? prefix) => prefix switch
    {
        null => null,
        { Length: 0 } => "业务编号前缀不能为空（不需要时请删除该设置）。",
        { Length: > MaxPrefixLength } => $"业务编号前缀不能超过 {MaxPrefixLength} 个字符。",
        _ when prefix.Any(c => char.IsWhiteSpace(c) || c == '-') => "业务编号前缀不能包含空格或连字符“-”。",
        _ => null,
    };

    /// <summary>Numbers a newly started case whose process has no applicant step (it is submitted by being started).</summary>
    public static Task AssignOnStartAsync(WorkflowExecution execution, CancellationToken cancellationToken) =>
        execution.Instance.ParentInstanceId is null && !execution.Graph.Definition.Root.Activities.Any(UserTask.IsApplicantStep)
            ? AssignAsync(execution, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// Gives the case its number unless it has one, copies it onto the case's tasks this unit of work tracks (those created
    /// later copy it from the instance), and journals it.
    /// </summary>
    public static async Task AssignAsync(WorkflowExecution execution, CancellationToken cancellationToken)
    {
        var instance = execution.Instance;
        if (instance.BusinessNumber is not null) return;
        var prefix = execution.Graph.Definition.BusinessNumberPrefix is { Length: > 0 } given && PrefixProblem(given) is null ? given : DefaultPrefix;
        var year = new DateTimeOffset(execution.Now, TimeSpan.Zero).ToOffset(Beijing).Year;
        var db = execution.Db;
        var sequence = await NextAsync(execution, prefix, year, cancellationToken);
        var number = $"{prefix}-{year}-{sequence:D6}";
        instance.BusinessNumber = number;
        instance.SubmittedAt = execution.Now;
        foreach (var task in db.Tasks.Local.Where(t => t.InstanceId == instance.Id)) task.BusinessNumber ??= number;
        execution.Append(JournalEvents.Note, message: $"业务编号：{number}");
    }

    private static async Task<long> NextAsync(WorkflowExecution execution, string prefix, int year, CancellationToken cancellationToken)
    {
        var dialect = execution.Db.Dialect;
        if (!dialect.AllowsConcurrentWriters) return await IncrementAsync(dialect, execution.Db, prefix, year, cancellationToken);
        await using var own = await execution.Engine.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(cancellationToken);
        return await IncrementAsync(dialect, own, prefix, year, cancellationToken);
    }

    private static Task<long> IncrementAsync(DatabaseDialect dialect, WorkflowDbContext db, string prefix, int year, CancellationToken cancellationToken) =>
        dialect.IncrementAsync(db.Database, WorkflowDbContext.Tables.BusinessNumbers, [("Prefix", prefix), ("Year", year)], "LastValue", cancellationToken);
}
