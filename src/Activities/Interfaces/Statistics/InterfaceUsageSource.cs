using Microsoft.EntityFrameworkCore;

namespace PdsWorkflow.Activities.Interfaces.Statistics;

/// <summary>Interface authorisations and gateway calls per provider and consumer department.</summary>
public sealed class InterfaceUsageSource(InterfacesDatabase database) : IExchangeUsageSource
{
    public async Task<IReadOnlyList<UsageFigures>> UsageAsync(StatisticsPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var from = period.FromUtc;
        var to = period.ToUtcExclusive;
        await using var db = database.CreateContext();
        var authorizations = await db.Authorizations.AsNoTracking()
            .Where(a => a.CreatedAt < to)
            .Select(a => new { a.ProviderOrgUnitId, a.ConsumerOrgUnitId, a.CreatedAt, a.Status, a.StatusChangedAt, a.TermStart, a.TermEnd })
            .ToListAsync(cancellationToken);
        var calls = await db.Calls.AsNoTracking()
            .Where(c => c.At >= from && c.At < to && c.ProviderOrgUnitId != null)
            .GroupBy(c => new { c.ProviderOrgUnitId, c.ConsumerOrgUnitId, Refused = c.Refusal != null })
            .Select(g => new { g.Key.ProviderOrgUnitId, g.Key.ConsumerOrgUnitId, g.Key.Refused, Count = g.LongCount(), Bytes = g.Sum(c => c.BytesOut) })
            .ToListAsync(cancellationToken);
        // Refusals of unknown callers are counted per day, not logged (ApiCallCounter): refused uses of the provider's interface.
        var anonymous = await db.CallCounters.AsNoTracking()
            .Where(c => c.Day >= period.From && c.Day <= period.To && c.ProviderOrgUnitId != null)
            .GroupBy(c => c.ProviderOrgUnitId)
            .Select(g => new { Provider = g.Key, Count = g.Sum(c => c.Calls) })
            .ToListAsync(cancellationToken);

        var tally = new UsageTally();
        foreach (var a in authorizations)
        {
            var granted = a.CreatedAt >= from ? 1 : 0;
            // In force at the period's end: granted by then, its term covering the last day, and not ended before.
            var ended = a.Status != ApiAuthorizationStatus.Active && a.Status != ApiAuthorizationStatus.Suspended && a.StatusChangedAt < to;
            var inForce = !ended && a.TermStart <= period.To && a.TermEnd >= period.To ? 1 : 0;
            tally.Add(a.ProviderOrgUnitId, ExchangeSide.Provider, ExchangeKind.Interface, granted, inForce);
            tally.Add(a.ConsumerOrgUnitId, ExchangeSide.Consumer, ExchangeKind.Interface, granted, inForce);
        }

        foreach (var c in calls)
        {
            var (uses, refused, bytes) = c.Refused ? (0L, c.Count, 0L) : (c.Count, 0L, c.Bytes);
            tally.Add(c.ProviderOrgUnitId, ExchangeSide.Provider, ExchangeKind.Interface, uses: uses, refused: refused, bytes: bytes);
            tally.Add(c.ConsumerOrgUnitId, ExchangeSide.Consumer, ExchangeKind.Interface, uses: uses, refused: refused, bytes: bytes);
        }

        foreach (var a in anonymous) tally.Add(a.Provider, ExchangeSide.Provider, ExchangeKind.Interface, refused: a.Count);

        return tally.Figures;
    }

    public async Task<IReadOnlyList<OverdueItem>> OverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(InterfaceService.Beijing).DateTime);
        await using var db = database.CreateContext();
        var rows = await db.Authorizations.AsNoTracking()
            .Where(a => (a.Status == ApiAuthorizationStatus.Active || a.Status == ApiAuthorizationStatus.Suspended) && a.TermEnd < today)
            .OrderBy(a => a.TermEnd).ToListAsync(cancellationToken);
        return rows.Select(a => new OverdueItem(OverdueKind.TermEndedStillActive, ExchangeKind.Interface, a.ProviderOrgUnitId, a.ConsumerOrgUnitId,
            $"{a.InterfaceName}（{a.SystemName}）", new DateTimeOffset(a.TermEnd.AddDays(1).ToDateTime(TimeOnly.MinValue), InterfaceService.Beijing).UtcDateTime,
            a.InstanceId, a.Id)).ToList();
    }
}
