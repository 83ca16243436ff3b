using Microsoft.EntityFrameworkCore;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>An application as listed: never its secret, only which version of it is current.</summary>
public sealed record ApplicationView(Guid Id, string AppKey, string Name, string OrgUnitId, int SecretVersion, DateTime CreatedAt, string CreatedBy,
    DateTime? SecretRotatedAt)
{
    public static ApplicationView From(ApiApplication a) => new(a.Id, a.AppKey, a.Name, a.OrgUnitId, a.SecretVersion, a.CreatedAt, a.CreatedBy, a.SecretRotatedAt);
}

public sealed record ApiCallView(Guid Id, DateTime At, string Method, string Path, string? SourceIp, int Status, long LatencyMs, long BytesIn, long BytesOut,
    string? Refusal);

/// <summary>Filters of the authorisation list; null means any.</summary>
public sealed record AuthorizationFilter(
    ApiAuthorizationStatus? Status = null,
    string? ProviderOrgUnitId = null,
    string? ConsumerOrgUnitId = null,
    Guid? ApplicationId = null,
    string? Search = null);

public sealed record QueryPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>
/// What the Host's API reads of applications, authorisations and the call log. <paramref name="units"/> arguments limit
/// a read to the units a caller may see (null: all, for the bureau); the scope rule itself is the Host's.
/// </summary>
public sealed class InterfaceQueries(InterfacesDatabase database)
{
    public async Task<IReadOnlyList<ApplicationView>> ApplicationsAsync(IReadOnlyCollection<string>? units, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var query = db.Applications.AsNoTracking();
        if (units is not null) query = query.Where(a => units.Contains(a.OrgUnitId));
        return (await query.OrderBy(a => a.OrgUnitId).ThenBy(a => a.Name).ToListAsync(cancellationToken)).Select(ApplicationView.From).ToList();
    }

    public async Task<ApplicationView?> ApplicationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Applications.AsNoTracking().Where(a => a.Id == id).ToListAsync(cancellationToken) is [var application] ? ApplicationView.From(application) : null;
    }

    /// <summary>Authorisations matching <paramref name="filter"/> where the provider or the consumer is one of <paramref name="units"/>, newest first.</summary>
    public async Task<QueryPage<AuthorizationView>> AuthorizationsAsync(AuthorizationFilter filter, IReadOnlyCollection<string>? units, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = database.CreateContext();
        var query = db.Authorizations.AsNoTracking();
        if (units is not null) query = query.Where(a => units.Contains(a.ProviderOrgUnitId) || units.Contains(a.ConsumerOrgUnitId));
        if (filter.Status is { } status) query = query.Where(a => a.Status == status);
        if (filter.ProviderOrgUnitId is { } provider) query = query.Where(a => a.ProviderOrgUnitId == provider);
        if (filter.ConsumerOrgUnitId is { } consumer) query = query.Where(a => a.ConsumerOrgUnitId == consumer);
        if (filter.ApplicationId is { } application) query = query.Where(a => a.ApplicationId == application);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var search = filter.Search.Trim();
            query = query.Where(a => a.InterfaceName.Contains(search) || a.SystemName.Contains(search));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new QueryPage<AuthorizationView>(items.Select(AuthorizationView.From).ToList(), total, take == 0 ? 1 : skip / take + 1, take);
    }

    /// <summary>The gateway calls made under one authorisation, newest first.</summary>
    public async Task<QueryPage<ApiCallView>> CallsAsync(Guid authorizationId, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var query = db.Calls.AsNoTracking().Where(c => c.AuthorizationId == authorizationId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(c => c.At).ThenBy(c => c.Id).Skip(skip).Take(take)
            .Select(c => new ApiCallView(c.Id, c.At, c.Method, c.Path, c.SourceIp, c.Status, c.LatencyMs, c.BytesIn, c.BytesOut, c.Refusal))
            .ToListAsync(cancellationToken);
        return new QueryPage<ApiCallView>(items, total, take == 0 ? 1 : skip / take + 1, take);
    }
}
