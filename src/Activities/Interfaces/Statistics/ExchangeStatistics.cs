using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Interfaces.Statistics;

/// <summary>One department's line of the report, with the names users read.</summary>
public sealed record DepartmentStatisticsRow(string OrgUnitId, string OrgUnitName, ExchangeSide Side, string SideName, ExchangeKind Kind, string KindName,
    int Granted, int InForce, long Uses, long Refused, long Bytes, long Rows, long Files);

public sealed record StatisticsReport(DateOnly From, DateOnly To, IReadOnlyList<DepartmentStatisticsRow> Rows);

public sealed record OverdueRow(OverdueKind Kind, string KindName, string ExchangeName, string? ProviderOrgUnitId, string? ProviderName,
    string? ConsumerOrgUnitId, string? ConsumerName, string Subject, DateTime DueAt, int DaysOverdue, Guid? InstanceId, Guid? AuthorizationId);

/// <summary>
/// 001 第二十二条: the authorisations and the use of tables, files and interfaces per department and period, and the
/// overdue authorisations the bureau chases. Figures come from every registered <see cref="IExchangeUsageSource"/>;
/// authorisation steps past their deadline come from the engine's human tasks (the provider's approval of a
/// subscription or an interface request, the platform's direct authorisation).
/// </summary>
public sealed class ExchangeStatistics(IEnumerable<IExchangeUsageSource> sources, WorkflowStore store, TimeProvider clock)
{
    public const int MaxPeriodDays = 3660;

    /// <summary>The steps that grant an authorisation, by definition and activity.</summary>
    private static readonly (string Definition, string Activity, ExchangeKind? Kind)[] AuthorizationSteps =
    [
        ("interface-request", "providerApproval", ExchangeKind.Interface),
        ("interface-request", "platformAuthorize", ExchangeKind.Interface),
        ("subscription", "providerApproval", null),
    ];

    public async Task<StatisticsReport> ReportAsync(StatisticsPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var figures = new List<UsageFigures>();
        foreach (var source in sources) figures.AddRange(await source.UsageAsync(period, cancellationToken));
        var names = await NamesAsync(figures.Select(f => f.OrgUnitId), cancellationToken);
        var rows = figures
            .GroupBy(f => (f.OrgUnitId, f.Side, f.Kind))
            .Select(g => new DepartmentStatisticsRow(g.Key.OrgUnitId, names.GetValueOrDefault(g.Key.OrgUnitId, g.Key.OrgUnitId), g.Key.Side, SideName(g.Key.Side),
                g.Key.Kind, KindName(g.Key.Kind), g.Sum(f => f.Granted), g.Sum(f => f.InForce), g.Sum(f => f.Uses), g.Sum(f => f.Refused), g.Sum(f => f.Bytes),
                g.Sum(f => f.Rows), g.Sum(f => f.Files)))
            .OrderBy(r => r.OrgUnitName, StringComparer.Ordinal).ThenBy(r => r.Side).ThenBy(r => r.Kind)
            .ToList();
        return new StatisticsReport(period.From, period.To, rows);
    }

    public async Task<IReadOnlyList<OverdueRow>> OverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var items = new List<OverdueItem>();
        foreach (var source in sources) items.AddRange(await source.OverdueAsync(now, cancellationToken));
        items.AddRange(await PendingStepsAsync(now.UtcDateTime, cancellationToken));
        var names = await NamesAsync(items.SelectMany(i => new[] { i.ProviderOrgUnitId, i.ConsumerOrgUnitId }).OfType<string>(), cancellationToken);
        return items
            .OrderBy(i => i.DueAt)
            .Select(i => new OverdueRow(i.Kind, OverdueKindName(i.Kind), i.Exchange is { } k ? KindName(k) : "库表或文件",
                i.ProviderOrgUnitId, i.ProviderOrgUnitId is null ? null : names.GetValueOrDefault(i.ProviderOrgUnitId, i.ProviderOrgUnitId),
                i.ConsumerOrgUnitId, i.ConsumerOrgUnitId is null ? null : names.GetValueOrDefault(i.ConsumerOrgUnitId, i.ConsumerOrgUnitId),
                i.Subject, i.DueAt, Math.Max(0, (int)Math.Ceiling((now.UtcDateTime - i.DueAt).TotalDays)), i.InstanceId, i.AuthorizationId))
            .ToList();
    }

    /// <summary>Open authorisation steps past their working-day deadline (001 第十五、十六条; 000 三).</summary>
    private async Task<IReadOnlyList<OverdueItem>> PendingStepsAsync(DateTime now, CancellationToken cancellationToken)
    {
        var definitions = AuthorizationSteps.Select(s => s.Definition).Distinct().ToArray();
        var activities = AuthorizationSteps.Select(s => s.Activity).Distinct().ToArray();
        await using var db = await store.CreateContextAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => definitions.Contains(t.DefinitionId) && activities.Contains(t.ActivityId) && t.DueAt != null && t.DueAt < now &&
                        t.Status != TaskStatuses.Completed && t.Status != TaskStatuses.Cancelled)
            .Select(t => new { t.InstanceId, t.DefinitionId, t.ActivityId, t.Title, t.ProcessName, t.OrgUnitId, t.ApplicantOrgUnitId, t.DueAt })
            .ToListAsync(cancellationToken);
        return tasks
            .Where(t => AuthorizationSteps.Any(s => s.Definition == t.DefinitionId && s.Activity == t.ActivityId))
            // A step decided by several people has one task each; the case is overdue once.
            .GroupBy(t => (t.InstanceId, t.ActivityId))
            .Select(g => g.First())
            .Select(t => new OverdueItem(OverdueKind.AuthorizationPending,
                AuthorizationSteps.First(s => s.Definition == t.DefinitionId && s.Activity == t.ActivityId).Kind,
                t.OrgUnitId, t.ApplicantOrgUnitId, $"{t.ProcessName ?? t.DefinitionId}：{t.Title}", t.DueAt!.Value, t.InstanceId, null))
            .ToList();
    }

    private async Task<Dictionary<string, string>> NamesAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return [];
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.OrgUnits.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
    }

    public static string SideName(ExchangeSide side) => side == ExchangeSide.Provider ? "提供方" : "使用方";

    public static string KindName(ExchangeKind kind) => kind switch
    {
        ExchangeKind.Table => "库表",
        ExchangeKind.File => "文件",
        _ => "服务接口",
    };

    public static string OverdueKindName(OverdueKind kind) => kind == OverdueKind.AuthorizationPending ? "逾期未完成授权" : "授权期满仍在生效";

    /// <summary>The report as a table: Chinese headers, then one line per row.</summary>
    public static (IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows) Table(StatisticsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string[] headers = ["部门", "部门编号", "角色", "资源类型", "期间新增授权", "期末有效授权", "使用次数", "拒绝次数", "记录数", "文件数", "数据量（字节）"];
        var rows = report.Rows.Select(r => (IReadOnlyList<object?>)
            [r.OrgUnitName, r.OrgUnitId, r.SideName, r.KindName, r.Granted, r.InForce, r.Uses, r.Refused, r.Rows, r.Files, r.Bytes]).ToList();
        return (headers, rows);
    }

    public static (IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows) Table(IReadOnlyList<OverdueRow> overdue)
    {
        ArgumentNullException.ThrowIfNull(overdue);
        string[] headers = ["类别", "资源类型", "提供方", "使用方", "事项", "应完成时间", "逾期天数", "流程实例", "授权编号"];
        var rows = overdue.Select(r => (IReadOnlyList<object?>)
        [
            r.KindName, r.ExchangeName, r.ProviderName, r.ConsumerName, r.Subject,
            new DateTimeOffset(r.DueAt, TimeSpan.Zero).ToOffset(InterfaceService.Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            r.DaysOverdue, r.InstanceId?.ToString(), r.AuthorizationId?.ToString(),
        ]).ToList();
        return (headers, rows);
    }
}
