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

/// <summary>
/// Refused gateway calls that no application can be told for (no or wrong credentials, an unknown interface) and calls
/// refused for too many failures from one source: counted per day (Beijing time), reason and interface, not logged
/// row by row, so that anonymous traffic cannot fill the database. <see cref="MountId"/> is <see cref="Guid.Empty"/>
/// when the interface code named no mount.
/// </summary>
public sealed class ApiCallCounter
{
    public DateOnly Day { get; init; }
    public required string Refusal { get; init; }
    public Guid MountId { get; init; }
    public string? ProviderOrgUnitId { get; init; }
    public long Calls { get; init; }
}
