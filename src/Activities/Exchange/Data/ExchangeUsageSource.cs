using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Interfaces.Statistics;
using StatisticsKind = PdsWorkflow.Activities.Interfaces.Statistics.ExchangeKind;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>
/// Table and file exchange in the statistics of 001 第二十二条, from <c>exc_runs</c>: a subscription (one case and kind)
/// counts as granted in the period of its first finished exchange and stays in force afterwards (a subscription has no
/// term); every exchange run finished in the period is a use, with the rows, files and bytes it delivered. Runs still
/// running or failed are not counted. Nothing is overdue here: the statistics take pending subscription approvals
/// from the engine's tasks.
/// </summary>
public sealed class ExchangeUsageSource(ExchangeDatabase database) : IExchangeUsageSource
{
    public async Task<IReadOnlyList<UsageFigures>> UsageAsync(StatisticsPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var from = period.FromUtc;
        var to = period.ToUtcExclusive;
        await using var db = database.CreateContext();
        var done = db.Runs.AsNoTracking().Where(r => r.Status == ExchangeRunStatus.Succeeded && r.FinishedAt != null && r.FinishedAt < to);
        var subscriptions = await done
            .GroupBy(r => new { r.InstanceId, r.Kind, r.ProviderOrgUnitId, r.ConsumerOrgUnitId })
            .Select(g => new { g.Key.Kind, g.Key.ProviderOrgUnitId, g.Key.ConsumerOrgUnitId, First = g.Min(r => r.FinishedAt) })
            .ToListAsync(cancellationToken);
        var runs = await done.Where(r => r.FinishedAt >= from)
            .GroupBy(r => new { r.Kind, r.ProviderOrgUnitId, r.ConsumerOrgUnitId })
            .Select(g => new
            {
                g.Key.Kind, g.Key.ProviderOrgUnitId, g.Key.ConsumerOrgUnitId, Count = g.LongCount(),
                Rows = g.Sum(r => r.RowsDone), Files = g.Sum(r => (long)r.FilesDone), Bytes = g.Sum(r => r.BytesDone),
            })
            .ToListAsync(cancellationToken);

        var tally = new UsageTally();
        foreach (var s in subscriptions)
        {
            var granted = s.First >= from ? 1 : 0;
            tally.Add(s.ProviderOrgUnitId, ExchangeSide.Provider, KindOf(s.Kind), granted, inForce: 1);
            tally.Add(s.ConsumerOrgUnitId, ExchangeSide.Consumer, KindOf(s.Kind), granted, inForce: 1);
        }

        foreach (var r in runs)
        {
            tally.Add(r.ProviderOrgUnitId, ExchangeSide.Provider, KindOf(r.Kind), uses: r.Count, bytes: r.Bytes, rows: r.Rows, files: r.Files);
            tally.Add(r.ConsumerOrgUnitId, ExchangeSide.Consumer, KindOf(r.Kind), uses: r.Count, bytes: r.Bytes, rows: r.Rows, files: r.Files);
        }

        return tally.Figures;
    }

    private static StatisticsKind KindOf(ExchangeKind kind) => kind == ExchangeKind.Table ? StatisticsKind.Table : StatisticsKind.File;

    public Task<IReadOnlyList<OverdueItem>> OverdueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OverdueItem>>([]);
}
