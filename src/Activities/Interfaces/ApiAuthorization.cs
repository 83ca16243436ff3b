using System.Text.Json;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>A seasonal window (季节性使用时段), both days included.</summary>
public sealed record SeasonalWindow(DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly day) => day >= Start && day <= End;
}

/// <summary>
/// 接口授权: one application of a consumer department may call one mounted interface of a provider, from the listed
/// extranet IPs, within the term (at most 1095 days) or its seasonal windows, in the usage hours, up to the daily peak.
/// The status changes only through the methods below, which refuse moves the regulation does not allow.
/// </summary>
public sealed class ApiAuthorization
{
    public const int MaxTermDays = 1095;

    public Guid Id { get; init; }

    /// <summary>The workflow step that granted it (instance/activity): unique, so a retried step grants once.</summary>
    public required string ExecutionKey { get; init; }

    public Guid? InstanceId { get; init; }

    /// <summary>The catalog's interface mount; its id is the interface code in gateway URLs.</summary>
    public Guid MountId { get; init; }

    public Guid CatalogEntryId { get; init; }
    public required string InterfaceName { get; init; }
    public required string ProviderOrgUnitId { get; init; }
    public required string ConsumerOrgUnitId { get; init; }
    public Guid ApplicationId { get; init; }
    public required string SystemName { get; init; }

    /// <summary>Allowed source addresses, comma separated: IPv4, IPv6 or CIDR networks.</summary>
    public required string AllowedIps { get; init; }

    public DateOnly TermStart { get; init; }

    /// <summary>The last day of the term, included.</summary>
    public DateOnly TermEnd { get; init; }

    /// <summary>JSON array of {start, end}; null when the use is not seasonal.</summary>
    public string? SeasonalWindowsJson { get; init; }

    /// <summary>Canonical usage hours, e.g. 工作日 08:00-20:00.</summary>
    public required string UsageHours { get; init; }

    public int DailyAverage { get; init; }
    public int DailyPeak { get; init; }

    public ApiAuthorizationStatus Status { get; private set; }
    public DateTime StatusChangedAt { get; private set; }
    public string? StatusChangedBy { get; private set; }
    public string? StatusReason { get; private set; }

    public DateTime CreatedAt { get; init; }
    /// <summary>Set by the gateway on each forwarded call (one UPDATE, not through this entity).</summary>
    public DateTime? LastCalledAt { get; private set; }

    /// <summary>When the "term ending soon" reminder was queued (once).</summary>
    public DateTime? ReminderSentAt { get; private set; }

    /// <summary>When the sweep asked the provider whether to revoke it (unused for three months), and the case it started.</summary>
    public DateTime? RevokeRequestedAt { get; private set; }

    public Guid? RevokeInstanceId { get; private set; }

    public int Revision { get; private set; }

    public bool IsSeasonal => SeasonalWindows.Count > 0;

    public IReadOnlyList<SeasonalWindow> SeasonalWindows =>
        SeasonalWindowsJson is null ? [] : JsonSerializer.Deserialize<List<SeasonalWindow>>(SeasonalWindowsJson, InterfacesJson.Stored) ?? [];

    public static ApiAuthorization Grant(string executionKey, Guid? instanceId, InterfaceTarget target, string consumerOrgUnitId, ApiApplication application,
        AuthorizationTerms terms, string actor, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        ExecutionKey = executionKey,
        InstanceId = instanceId,
        MountId = target.MountId,
        CatalogEntryId = target.EntryId,
        InterfaceName = target.Name,
        ProviderOrgUnitId = target.ProviderOrgUnitId,
        ConsumerOrgUnitId = consumerOrgUnitId,
        ApplicationId = application.Id,
        SystemName = application.Name,
        AllowedIps = string.Join(',', terms.AllowedIps),
        TermStart = terms.Start,
        TermEnd = terms.End,
        SeasonalWindowsJson = terms.SeasonalWindows.Count == 0 ? null : JsonSerializer.Serialize(terms.SeasonalWindows, InterfacesJson.Stored),
        UsageHours = terms.UsageHours,
        DailyAverage = terms.DailyAverage,
        DailyPeak = terms.DailyPeak,
        Status = ApiAuthorizationStatus.Active,
        StatusChangedAt = now,
        StatusChangedBy = actor,
        CreatedAt = now,
    };

    /// <summary>暂停服务 (001 第十九条): only an active authorisation; the reason is required.</summary>
    public WorkflowResult<ApiAuthorizationStatus> Suspend(string actor, DateTime at, string reason) =>
        Move(ApiAuthorizationStatus.Suspended, [ApiAuthorizationStatus.Active], actor, at, reason, reasonRequired: true);

    /// <summary>恢复: a suspended authorisation becomes active again, if its term has not ended.</summary>
    public WorkflowResult<ApiAuthorizationStatus> Resume(string actor, DateTime at, DateOnly today, string? reason = null) =>
        today > TermEnd
            ? InterfaceErrors.StatusConflict(Status, ApiAuthorizationStatus.Active, "授权期限已满，不能恢复，请重新申请。")
            : Move(ApiAuthorizationStatus.Active, [ApiAuthorizationStatus.Suspended], actor, at, reason, reasonRequired: false);

    /// <summary>终止服务 (001 第十九条): from active or suspended; the reason is required.</summary>
    public WorkflowResult<ApiAuthorizationStatus> Terminate(string actor, DateTime at, string reason) =>
        Move(ApiAuthorizationStatus.Terminated, [ApiAuthorizationStatus.Active, ApiAuthorizationStatus.Suspended], actor, at, reason, reasonRequired: true);

    /// <summary>收回授权 (001 第十九条, unused for three months): from active or suspended.</summary>
    public WorkflowResult<ApiAuthorizationStatus> Revoke(string actor, DateTime at, string reason) =>
        Move(ApiAuthorizationStatus.Revoked, [ApiAuthorizationStatus.Active, ApiAuthorizationStatus.Suspended], actor, at, reason, reasonRequired: true);

    /// <summary>到期: only once the term's last day has passed.</summary>
    public WorkflowResult<ApiAuthorizationStatus> Expire(string actor, DateTime at, DateOnly today) =>
        today <= TermEnd
            ? InterfaceErrors.StatusConflict(Status, ApiAuthorizationStatus.Expired, $"授权期限至 {TermEnd:yyyy-MM-dd}，尚未届满。")
            : Move(ApiAuthorizationStatus.Expired, [ApiAuthorizationStatus.Active, ApiAuthorizationStatus.Suspended], actor, at, $"授权期限已于 {TermEnd:yyyy-MM-dd} 届满", reasonRequired: false);

    internal void MarkReminded(DateTime at)
    {
        ReminderSentAt = at;
        Revision++;
    }

    internal void MarkRevokeRequested(DateTime at, Guid instanceId)
    {
        RevokeRequestedAt = at;
        RevokeInstanceId = instanceId;
        Revision++;
    }

    private WorkflowResult<ApiAuthorizationStatus> Move(ApiAuthorizationStatus to, ApiAuthorizationStatus[] from, string actor, DateTime at, string? reason,
        bool reasonRequired)
    {
        if (!from.Contains(Status)) return InterfaceErrors.StatusConflict(Status, to);
        if (reasonRequired && string.IsNullOrWhiteSpace(reason)) return InterfaceErrors.ReasonRequired(to);
        Status = to;
        StatusChangedAt = at;
        StatusChangedBy = actor;
        StatusReason = reason?.Trim();
        Revision++;
        return to;
    }
}

/// <summary>What is granted besides who and which interface.</summary>
public sealed record AuthorizationTerms(
    IReadOnlyList<string> AllowedIps,
    DateOnly Start,
    DateOnly End,
    IReadOnlyList<SeasonalWindow> SeasonalWindows,
    string UsageHours,
    int DailyAverage,
    int DailyPeak);

/// <summary>A mounted interface of the catalog, as an authorisation names it.</summary>
public sealed record InterfaceTarget(Guid MountId, Guid EntryId, string Name, string ProviderOrgUnitId, string Endpoint);
