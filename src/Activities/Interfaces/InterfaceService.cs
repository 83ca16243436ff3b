using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>An application's credentials as issued: the secret appears here once and is stored nowhere.</summary>
public sealed record IssuedApplication(Guid Id, string AppKey, string Secret, int SecretVersion);

/// <summary>An authorisation as the API and the tests read it.</summary>
public sealed record AuthorizationView(
    Guid Id, Guid MountId, string InterfaceName, string ProviderOrgUnitId, string ConsumerOrgUnitId, Guid ApplicationId, string SystemName,
    IReadOnlyList<string> AllowedIps, DateOnly TermStart, DateOnly TermEnd, IReadOnlyList<SeasonalWindow> SeasonalWindows, string UsageHours,
    int DailyAverage, int DailyPeak, ApiAuthorizationStatus Status, string StatusName, string? StatusReason, DateTime? LastCalledAt,
    DateTime? ReminderSentAt, DateTime? RevokeRequestedAt, Guid? RevokeInstanceId)
{
    public static AuthorizationView From(ApiAuthorization a) => new(a.Id, a.MountId, a.InterfaceName, a.ProviderOrgUnitId, a.ConsumerOrgUnitId,
        a.ApplicationId, a.SystemName, a.AllowedIps.Split(',', StringSplitOptions.RemoveEmptyEntries), a.TermStart, a.TermEnd, a.SeasonalWindows,
        a.UsageHours, a.DailyAverage, a.DailyPeak, a.Status, StatusNames.Of(a.Status), a.StatusReason, a.LastCalledAt, a.ReminderSentAt,
        a.RevokeRequestedAt, a.RevokeInstanceId);
}

/// <summary>
/// Applications and authorisations for the Host, the sweep and the activities: credentials (issue, rotate) and the
/// provider's actions on an authorisation (suspend, resume, terminate, revoke; 001 第十九条). Each command runs in a
/// transaction of its own; a refusal is a <see cref="WorkflowError"/> and changes nothing.
/// </summary>
public sealed class InterfaceService(InterfacesDatabase database, TimeProvider clock)
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Microseconds, as PostgreSQL keeps them.</summary>
    internal DateTime Now
    {
        get
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
        }
    }

    internal DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Beijing).DateTime);

    /// <summary>Registers a department's business system as an application with fresh credentials.</summary>
    public async Task<WorkflowResult<IssuedApplication>> CreateApplicationAsync(string orgUnitId, string name, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(orgUnitId) || string.IsNullOrWhiteSpace(name))
            return InterfaceErrors.Invalid("application_invalid", "应用须有所属部门和业务系统名称。");
        await using var db = database.CreateContext();
        if (await db.Applications.AnyAsync(a => a.OrgUnitId == orgUnitId && a.Name == name.Trim(), cancellationToken))
            return new WorkflowError(WorkflowErrorKind.Conflict, "application_exists", "应用已存在", $"部门已登记名为“{name.Trim()}”的应用。");
        var secret = AppSecrets.NewSecret();
        var application = NewApplication(AppSecrets.NewAppKey(), name.Trim(), orgUnitId, actor, null, secret);
        db.Applications.Add(application);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApplication(application.Id, application.AppKey, secret, application.SecretVersion);
    }

    /// <summary>A new secret for the application; the old one stops working at once. The new secret is returned once.</summary>
    public async Task<WorkflowResult<IssuedApplication>> RotateSecretAsync(Guid applicationId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = database.CreateContext();
        var application = await db.Applications.FirstOrDefaultAsync(a => a.Id == applicationId, cancellationToken);
        if (application is null) return InterfaceErrors.ApplicationNotFound(applicationId);
        var secret = AppSecrets.NewSecret();
        application.SetSecret(secret, Now, rotation: true);
        if (await SaveAsync(db, cancellationToken) is { } error) return error;
        return new IssuedApplication(application.Id, application.AppKey, secret, application.SecretVersion);
    }

    /// <summary>Logs one gateway call, allowed or refused.</summary>
    public async Task RecordCallAsync(ApiCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var db = database.CreateContext();
        db.Calls.Add(call);
        await db.SaveChangesAsync(cancellationToken);
        PdsTelemetry.GatewayCall(call);
    }

    /// <summary>
    /// Counts one refused call that no application is known for (<see cref="ApiCallCounter"/>): the day's row is created
    /// if missing, then incremented, each statement atomic on both databases.
    /// </summary>
    public async Task CountRefusalAsync(string refusal, Guid? mountId, string? providerOrgUnitId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refusal);
        var day = Today;
        var mount = mountId ?? Guid.Empty;
        await using var db = database.CreateContext();
        await database.Dialect.InsertOrIgnoreAsync(db.Database, "api_call_counters",
            [("Day", day), ("Refusal", refusal), ("MountId", mount), ("ProviderOrgUnitId", providerOrgUnitId), ("Calls", 0)], cancellationToken);
        await db.CallCounters.Where(c => c.Day == day && c.Refusal == refusal && c.MountId == mount)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Calls, c => c.Calls + 1), cancellationToken);
    }

    public async Task<AuthorizationView?> GetAuthorizationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var authorization = await db.Authorizations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return authorization is null ? null : AuthorizationView.From(authorization);
    }

    public Task<WorkflowResult<AuthorizationView>> SuspendAsync(Guid id, string actor, string reason, CancellationToken cancellationToken = default) =>
        MoveAsync(id, (a, now) => a.Suspend(actor, now, reason), cancellationToken);

    public Task<WorkflowResult<AuthorizationView>> ResumeAsync(Guid id, string actor, string? reason = null, CancellationToken cancellationToken = default) =>
        MoveAsync(id, (a, now) => a.Resume(actor, now, Today, reason), cancellationToken);

    public Task<WorkflowResult<AuthorizationView>> TerminateAsync(Guid id, string actor, string reason, CancellationToken cancellationToken = default) =>
        MoveAsync(id, (a, now) => a.Terminate(actor, now, reason), cancellationToken);

    public Task<WorkflowResult<AuthorizationView>> RevokeAsync(Guid id, string actor, string reason, CancellationToken cancellationToken = default) =>
        MoveAsync(id, (a, now) => a.Revoke(actor, now, reason), cancellationToken);

    /// <summary>Runs <paramref name="work"/> inside the activity's burst (<see cref="ModuleDatabase{TContext}.InBurstAsync{T}"/>).</summary>
    public Task<WorkflowResult<T>> InBurstAsync<T>(ActivityExecutionContext context, Func<InterfacesDbContext, CancellationToken, Task<WorkflowResult<T>>> work) =>
        database.InBurstAsync(context, work);

    internal ApiApplication NewApplication(string appKey, string name, string orgUnitId, string actor, string? issuanceKey, string secret)
    {
        var application = new ApiApplication
        {
            Id = Guid.NewGuid(),
            AppKey = appKey,
            Name = name,
            OrgUnitId = orgUnitId,
            CreatedAt = Now,
            CreatedBy = actor,
            IssuanceKey = issuanceKey,
        };
        application.SetSecret(secret, application.CreatedAt, rotation: false);
        return application;
    }

    private async Task<WorkflowResult<AuthorizationView>> MoveAsync(Guid id, Func<ApiAuthorization, DateTime, WorkflowResult<ApiAuthorizationStatus>> move,
        CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var authorization = await db.Authorizations.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (authorization is null) return InterfaceErrors.AuthorizationNotFound(id);
        var moved = move(authorization, Now);
        if (!moved.IsSuccess) return moved.Error!;
        if (await SaveAsync(db, cancellationToken) is { } error) return error;
        return AuthorizationView.From(authorization);
    }

    internal static async Task<WorkflowError?> SaveAsync(InterfacesDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return InterfaceErrors.ConcurrentUpdate();
        }
    }
}
