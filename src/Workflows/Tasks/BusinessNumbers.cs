using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// 业务编号: a readable number per prefix and year (Beijing time), 订阅-2026-000123, given to a case when it is submitted:
/// when its applicant approves their own step for the first time, or at once when the process has no applicant step.
/// Unique under concurrency, not gap-free: the sequence row is incremented by one upsert in the burst's transaction, which
/// holds that row's lock on PostgreSQL (a competing submission of the same prefix waits for the commit) and is serialised
/// by SQLite's single writer. A burst that rolls back gives its number back only on SQLite.
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
        await db.Database.ExecuteSqlRawAsync(Increment, [prefix, year], cancellationToken);
        var sequence = await db.Database.SqlQueryRaw<long>(Read, prefix, year).SingleAsync(cancellationToken);
        var number = $"{prefix}-{year}-{sequence:D6}";
        instance.BusinessNumber = number;
        foreach (var task in db.Tasks.Local.Where(t => t.InstanceId == instance.Id)) task.BusinessNumber ??= number;
        execution.Append(JournalEvents.Note, message: $"业务编号：{number}");
    }

    // One statement that both creates the year's row and counts on it: a concurrent submission cannot read the same value.
    private const string Increment =
        "INSERT INTO \"wf_business_numbers\" (\"Prefix\", \"Year\", \"LastValue\") VALUES ({0}, {1}, 1) " +
        "ON CONFLICT (\"Prefix\", \"Year\") DO UPDATE SET \"LastValue\" = \"wf_business_numbers\".\"LastValue\" + 1";

    private const string Read = "SELECT \"LastValue\" AS \"Value\" FROM \"wf_business_numbers\" WHERE \"Prefix\" = {0} AND \"Year\" = {1}";
}
