using System.Net;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.DataSharing.Forms;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>One call as the gateway received it.</summary>
public sealed record GatewayRequest(string InterfaceCode, string? AppKey, string? Secret, IPAddress? Source);

/// <summary>
/// The gateway's answer: forward to <see cref="Upstream"/>, or refuse with an HTTP status, a stable reason code and a
/// zh-CN detail. Who the call was from is filled in as far as it could be told, for the call log.
/// </summary>
public sealed record GatewayDecision(int Status, string? Refusal, string? Title, string? Detail)
{
    public Uri? Upstream { get; init; }
    public Guid? MountId { get; init; }
    public string? ProviderOrgUnitId { get; init; }
    public string? ConsumerOrgUnitId { get; init; }
    public Guid? ApplicationId { get; init; }
    public Guid? AuthorizationId { get; init; }

    public bool Allowed => Refusal is null;
}

/// <summary>The refusals' reason codes, stable for clients and statistics.</summary>
public static class GatewayRefusals
{
    public const string InterfaceNotFound = "interface_not_found";
    public const string CredentialsMissing = "credentials_missing";
    public const string CredentialsInvalid = "credentials_invalid";
    public const string NotAuthorized = "not_authorized";
    public const string Suspended = "authorization_suspended";
    public const string Expired = "authorization_expired";
    public const string Revoked = "authorization_revoked";
    public const string Terminated = "authorization_terminated";
    public const string BeforeTerm = "before_term";
    public const string OutsideSeason = "outside_seasonal_window";
    public const string IpNotAllowed = "ip_not_allowed";
    public const string OutsideUsageHours = "outside_usage_hours";
    public const string DailyPeakExceeded = "daily_peak_exceeded";

    /// <summary>The source made too many refused calls in the window (<see cref="GatewayOptions.FailureLimit"/>).</summary>
    public const string TooManyFailures = "too_many_failures";

    /// <summary>The upstream resolved to an address <see cref="UpstreamPolicy"/> refuses.</summary>
    public const string UpstreamNotAllowed = "upstream_not_allowed";

    public const string UpstreamUnavailable = "upstream_unavailable";
}

/// <summary>
/// Decides whether the gateway forwards a call (001 第十九、二十一条): the interface is mounted; the app key and secret
/// match (the secret's hash compared in constant time); the application holds an authorisation of the interface that is
/// active, within its term and seasonal windows, from an allowed source address, in its usage hours (working days by
/// the platform's calendar, Beijing time); and the day's count stays within the peak. The count is taken last, by one
/// conditional UPDATE, so concurrent calls on any number of nodes never pass the peak together; a refused call is
/// not counted.
/// </summary>
public sealed class GatewayAccess(InterfacesDatabase database, CatalogDatabase catalogDatabase, WorkingDayCalendar calendar, TimeProvider clock)
{
    public const string AppKeyHeader = "X-Pds-App-Key";
    public const string SecretHeader = "X-Pds-App-Secret";

    public async Task<GatewayDecision> DecideAsync(GatewayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        InterfaceTarget? target = null;
        if (Guid.TryParse(request.InterfaceCode, out var mountId))
        {
            await using var catalog = catalogDatabase.CreateContext();
            target = await InterfaceTargets.FindAsync(catalog, mountId, cancellationToken);
        }

        if (target is null)
            return Refuse(404, GatewayRefusals.InterfaceNotFound, "服务接口不存在", $"平台没有编号为“{request.InterfaceCode}”的服务接口，或该接口已解除挂接。");
        var about = new GatewayDecision(200, null, null, null) { MountId = target.MountId, ProviderOrgUnitId = target.ProviderOrgUnitId };

        if (string.IsNullOrWhiteSpace(request.AppKey) || string.IsNullOrEmpty(request.Secret))
            return about.Refused(401, GatewayRefusals.CredentialsMissing, "缺少应用凭据", $"请在请求头 {AppKeyHeader} 和 {SecretHeader} 中提供应用标识和密钥。");

        await using var db = database.CreateContext();
        var application = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.AppKey == request.AppKey, cancellationToken);
        if (application is null || !AppSecrets.Verify(request.Secret, application.SecretHash))
            return about.Refused(401, GatewayRefusals.CredentialsInvalid, "应用凭据无效", "应用标识或密钥不正确；密钥更换后旧密钥随即失效。");
        about = about with { ApplicationId = application.Id, ConsumerOrgUnitId = application.OrgUnitId };

        var now = clock.GetUtcNow().ToOffset(InterfaceService.Beijing);
        var today = DateOnly.FromDateTime(now.DateTime);
        var candidates = await db.Authorizations.AsNoTracking()
            .Where(a => a.MountId == target.MountId && a.ApplicationId == application.Id).ToListAsync(cancellationToken);
        // The authorisation that speaks for the call: an active one in its term if any, else the latest.
        var authorization = candidates.Where(a => a.Status == ApiAuthorizationStatus.Active && a.TermStart <= today && today <= a.TermEnd)
            .OrderByDescending(a => a.TermEnd).FirstOrDefault() ?? candidates.OrderByDescending(a => a.CreatedAt).FirstOrDefault();
        if (authorization is null)
            return about.Refused(403, GatewayRefusals.NotAuthorized, "未获授权", $"应用“{application.Name}”未获授权调用服务接口“{target.Name}”，请先提交服务接口申请。");
        about = about with { AuthorizationId = authorization.Id, ConsumerOrgUnitId = authorization.ConsumerOrgUnitId };

        var refusal = CheckTerms(authorization, request.Source, now, today);
        if (refusal is not null) return about with { Status = refusal.Status, Refusal = refusal.Refusal, Title = refusal.Title, Detail = refusal.Detail };

        if (!await CountAsync(db, authorization, today, cancellationToken))
            return about.Refused(429, GatewayRefusals.DailyPeakExceeded, "超过每日调用峰值",
                $"本授权每日最多调用 {authorization.DailyPeak} 次，今日已达上限，请于次日再调用。");

        await db.Authorizations.Where(a => a.Id == authorization.Id && (a.LastCalledAt == null || a.LastCalledAt < now.UtcDateTime))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastCalledAt, now.UtcDateTime), cancellationToken);
        return about with { Upstream = new Uri(target.Endpoint) };
    }

    /// <summary>Status, term, seasonal windows, source address and usage hours, in that order.</summary>
    private GatewayDecision? CheckTerms(ApiAuthorization authorization, IPAddress? source, DateTimeOffset now, DateOnly today)
    {
        switch (authorization.Status)
        {
            case ApiAuthorizationStatus.Suspended:
                return Refuse(403, GatewayRefusals.Suspended, "授权已暂停", $"数据提供方已暂停本授权：{authorization.StatusReason}");
            case ApiAuthorizationStatus.Revoked:
                return Refuse(403, GatewayRefusals.Revoked, "授权已收回", $"数据提供方已收回本授权：{authorization.StatusReason}");
            case ApiAuthorizationStatus.Terminated:
                return Refuse(403, GatewayRefusals.Terminated, "授权已终止", $"数据提供方已终止本授权：{authorization.StatusReason}");
            case ApiAuthorizationStatus.Expired:
                return Refuse(403, GatewayRefusals.Expired, "授权已到期", $"授权期限已于 {authorization.TermEnd:yyyy-MM-dd} 届满，请重新申请。");
        }

        if (today > authorization.TermEnd)
            return Refuse(403, GatewayRefusals.Expired, "授权已到期", $"授权期限已于 {authorization.TermEnd:yyyy-MM-dd} 届满，请重新申请。");
        if (today < authorization.TermStart)
            return Refuse(403, GatewayRefusals.BeforeTerm, "授权尚未生效", $"授权期限自 {authorization.TermStart:yyyy-MM-dd} 起。");
        var windows = authorization.SeasonalWindows;
        if (windows.Count > 0 && !windows.Any(w => w.Contains(today)))
            return Refuse(403, GatewayRefusals.OutsideSeason, "不在季节性使用时段内",
                $"本授权仅在以下时段可用：{string.Join("、", windows.Select(w => $"{w.Start:yyyy-MM-dd} 至 {w.End:yyyy-MM-dd}"))}。");
        if (!SourceAddresses.Allows(authorization.AllowedIps, source))
            return Refuse(403, GatewayRefusals.IpNotAllowed, "来源地址未获授权",
                $"调用来源 {source?.ToString() ?? "未知"} 不在授权的业务系统政务外网 IP 之内。");
        if (UsageHours.Parse(authorization.UsageHours, out _) is not { } hours || !InHours(hours, now, today))
            return Refuse(403, GatewayRefusals.OutsideUsageHours, "不在使用时间范围内", $"本授权的使用时间范围为 {authorization.UsageHours}（北京时间）。");
        return null;
    }

    private bool InHours(UsageHours hours, DateTimeOffset now, DateOnly today)
    {
        if (hours.Days == UsageDayKind.WorkingDays && !calendar.GetDay(today).IsWorkingDay) return false;
        var time = now.TimeOfDay;
        return time >= hours.Start && time < hours.End;
    }

    /// <summary>
    /// Takes one call of the day's allowance: the day's row is created if missing, then incremented only while below the
    /// peak. Each statement is atomic on both databases (PostgreSQL re-checks the condition after a concurrent update
    /// commits; SQLite serialises writers), so the count never passes the peak.
    /// </summary>
    private static async Task<bool> CountAsync(InterfacesDbContext db, ApiAuthorization authorization, DateOnly today, CancellationToken cancellationToken)
    {
        var id = authorization.Id;
        var peak = authorization.DailyPeak;
        await DatabaseDialect.Of(db.Database).InsertOrIgnoreAsync(db.Database, "api_daily_usage", [("AuthorizationId", id), ("Day", today), ("Calls", 0)],
            cancellationToken);
        var counted = await db.DailyUsage.Where(u => u.AuthorizationId == id && u.Day == today && u.Calls < peak)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Calls, u => u.Calls + 1), cancellationToken);
        return counted == 1;
    }

    private static GatewayDecision Refuse(int status, string code, string title, string detail) => new(status, code, title, detail);
}

internal static class GatewayDecisions
{
    public static GatewayDecision Refused(this GatewayDecision about, int status, string code, string title, string detail) =>
        about with { Status = status, Refusal = code, Title = title, Detail = detail };
}
