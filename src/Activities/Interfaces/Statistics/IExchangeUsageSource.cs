namespace PdsWorkflow.Activities.Interfaces.Statistics;

/// <summary>The shared resources counted (001 第二十二条: 库表、文件和服务接口).</summary>
public enum ExchangeKind
{
    Table,
    File,
    Interface,
}

/// <summary>A department's side of an exchange.</summary>
public enum ExchangeSide
{
    Provider,
    Consumer,
}

/// <summary>Days in Beijing time, both included.</summary>
public sealed record StatisticsPeriod(DateOnly From, DateOnly To)
{
    public DateTime FromUtc => new DateTimeOffset(From.ToDateTime(TimeOnly.MinValue), InterfaceService.Beijing).UtcDateTime;

    /// <summary>The instant after the last day.</summary>
    public DateTime ToUtcExclusive => new DateTimeOffset(To.AddDays(1).ToDateTime(TimeOnly.MinValue), InterfaceService.Beijing).UtcDateTime;
}

/// <summary>
/// One department's figures for one kind and side in a period: authorisations granted in the period, authorisations
/// in force at its end, uses (calls forwarded, exchange runs finished), refused uses, bytes delivered, and for tables
/// and files the rows and files delivered.
/// </summary>
public sealed record UsageFigures(string OrgUnitId, ExchangeSide Side, ExchangeKind Kind, int Granted, int InForce, long Uses, long Refused, long Bytes,
    long Rows = 0, long Files = 0);

/// <summary>Sums a source's figures per department, side and kind.</summary>
public sealed class UsageTally
{
    private readonly Dictionary<(string, ExchangeSide, ExchangeKind), UsageFigures> _figures = [];

    public void Add(string? unit, ExchangeSide side, ExchangeKind kind, int granted = 0, int inForce = 0, long uses = 0, long refused = 0, long bytes = 0,
        long rows = 0, long files = 0)
    {
        if (unit is null) return;
        var key = (unit, side, kind);
        var current = _figures.GetValueOrDefault(key) ?? new UsageFigures(unit, side, kind, 0, 0, 0, 0, 0);
        _figures[key] = current with
        {
            Granted = current.Granted + granted,
            InForce = current.InForce + inForce,
            Uses = current.Uses + uses,
            Refused = current.Refused + refused,
            Bytes = current.Bytes + bytes,
            Rows = current.Rows + rows,
            Files = current.Files + files,
        };
    }

    public IReadOnlyList<UsageFigures> Figures => _figures.Values.ToList();
}

/// <summary>Why an authorisation is overdue (001 第二十二条 未在规定时限内完成授权; and terms run out while still in force).</summary>
public enum OverdueKind
{
    /// <summary>The provider's or the platform's authorisation step is past its working-day deadline.</summary>
    AuthorizationPending,

    /// <summary>The term ended but the authorisation is still in force (the daily sweep has not expired it yet).</summary>
    TermEndedStillActive,
}

/// <param name="Exchange">Null for a table or file subscription whose kind the pending step does not tell.</param>
public sealed record OverdueItem(OverdueKind Kind, ExchangeKind? Exchange, string? ProviderOrgUnitId, string? ConsumerOrgUnitId, string Subject,
    DateTime DueAt, Guid? InstanceId, Guid? AuthorizationId);

/// <summary>
/// A module that contributes to the statistics. The interfaces module is one (<see cref="InterfaceUsageSource"/>);
/// table and file exchange adds its own from its run records (instance, provider, consumer, kind, rows, bytes, finished)
/// by registering another implementation with <c>TryAddEnumerable</c>: nothing else changes.
/// </summary>
public interface IExchangeUsageSource
{
    Task<IReadOnlyList<UsageFigures>> UsageAsync(StatisticsPeriod period, CancellationToken cancellationToken);

    Task<IReadOnlyList<OverdueItem>> OverdueAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
