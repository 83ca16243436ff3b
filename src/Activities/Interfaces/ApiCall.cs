namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// One call through the gateway, allowed or refused (001 第二十一条 全流程审计; kept ≥ 24 months, 004 第十四条). Who is
/// filled in as far as the call got: an unknown app key leaves the application and consumer empty.
/// </summary>
public sealed class ApiCall
{
    public Guid Id { get; init; }
    public DateTime At { get; init; }
    public required string InterfaceCode { get; init; }
    public Guid? MountId { get; init; }
    public string? ProviderOrgUnitId { get; init; }
    public string? ConsumerOrgUnitId { get; init; }
    public Guid? ApplicationId { get; init; }
    public string? AppKey { get; init; }
    public Guid? AuthorizationId { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public string? SourceIp { get; init; }
    public int Status { get; init; }
    public long LatencyMs { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }

    /// <summary>The refusal's code (ip_not_allowed, daily_peak_exceeded…); null for a forwarded call.</summary>
    public string? Refusal { get; init; }
}

/// <summary>Calls counted per authorisation and day (Beijing time), for the daily peak.</summary>
public sealed class ApiDailyUsage
{
    public Guid AuthorizationId { get; init; }
    public DateOnly Day { get; init; }
    public int Calls { get; init; }
}
