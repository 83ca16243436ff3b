using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// The resource catalog (资源目录) for the Host and the activities. Commands run in a <see cref="CatalogSession"/>: the
/// Host's each in a transaction of its own (<see cref="RunAsync{T}"/> and the shortcuts below), an activity's inside its
/// workflow burst (<see cref="InBurstAsync{T}"/>), so that the catalog change commits or rolls back with the workflow's.
/// Expected refusals come back as <see cref="WorkflowError"/>s with zh-CN reasons; the form's field errors are listed by
/// field.
/// </summary>
public sealed class CatalogService
{
    private readonly CatalogDatabase _database;
    private readonly WorkflowStore _store;
    private readonly CatalogForm _form;
    private readonly WorkingDayCalendar _calendar;
    private readonly IOptions<CatalogOptions> _options;
    private readonly TimeProvider _clock;
    private readonly UpstreamPolicy _upstreams;

    public CatalogService(CatalogDatabase database, WorkflowStore store, FormSchemaRegistry forms, FormValidator validator,
        WorkingDayCalendar calendar, IOptions<CatalogOptions> options, TimeProvider clock, UpstreamPolicy upstreams)
    {
        _upstreams = upstreams;
        _database = database;
        _store = store;
        _form = new CatalogForm(forms, validator);
        _calendar = calendar;
        _options = options;
        _clock = clock;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own on the product's database, committed only when the work
    /// succeeds. The engine's tables are in the same transaction (the provider department is read from them).
    /// </summary>
    public async Task<WorkflowResult<T>> RunAsync<T>(string actor, Func<CatalogSession, CancellationToken, Task<WorkflowResult<T>>> work,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentNullException.ThrowIfNull(work);
        await using var engine = await _store.CreateContextAsync(cancellationToken);
        await using var transaction = await engine.Database.BeginTransactionAsync(cancellationToken);
        await using var catalog = _database.Join(engine);
        var result = await work(Session(catalog, engine, new CatalogActor(actor)), cancellationToken);
        if (result.IsSuccess) await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the burst that executes <paramref name="context"/>'s activity: it commits with
    /// the burst or not at all, and a refusal or an exception leaves no catalog change behind
    /// (<see cref="ModuleDatabase{TContext}.InBurstAsync{T}"/>). The actor is whoever caused the burst.
    /// </summary>
    public Task<WorkflowResult<T>> InBurstAsync<T>(ActivityExecutionContext context, Func<CatalogSession, CancellationToken, Task<WorkflowResult<T>>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var actor = new CatalogActor(context.Actor ?? context.Initiator ?? "system", context.InstanceId, context.ActivityId);
        return _database.InBurstAsync(context, (catalog, ct) => work(Session(catalog, context.Db, actor), ct));
    }

    /// <summary>The catalog-entry form's verdict on <paramref name="data"/> alone (no uniqueness or provider checks): null when it passes.</summary>
    public WorkflowError? CheckEntryData(JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (result, _) = _form.ValidateEntry(data);
        return result.IsValid ? null : CatalogErrors.FormInvalid(result.Errors);
    }

    public Task<WorkflowResult<CatalogVersionView>> CreateAsync(string providerOrgUnitId, JsonObject data, string actor, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.CreateAsync(providerOrgUnitId, data, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> UpdateDraftAsync(Guid entryId, JsonObject data, string actor, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.UpdateDraftAsync(entryId, data, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> ReviseAsync(Guid entryId, CatalogRevision revision, string actor, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.ReviseAsync(entryId, revision, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> SubmitAsync(Guid entryId, string actor, string? comment = null, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.SubmitAsync(entryId, comment, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> ReturnFromReviewAsync(Guid entryId, string actor, string reason, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.ReturnFromReviewAsync(entryId, reason, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> RegisterAsync(Guid entryId, string actor, string? comment = null, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.RegisterAsync(entryId, comment, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> ReturnRegistrationAsync(Guid entryId, string actor, IReadOnlyList<string> problems,
        CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.ReturnRegistrationAsync(entryId, problems, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> ReopenAsync(Guid entryId, string actor, string? comment = null, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.ReopenAsync(entryId, comment, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> PublishAsync(Guid entryId, string actor, string? comment = null, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.PublishAsync(entryId, comment, ct), cancellationToken);

    public Task<WorkflowResult<CatalogVersionView>> WithdrawAsync(Guid entryId, string actor, string reason, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.WithdrawAsync(entryId, reason, ct), cancellationToken);

    public Task<WorkflowResult<CatalogMountView>> MountAsync(Guid entryId, CatalogMountRequest request, string actor, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.MountAsync(entryId, request, ct), cancellationToken);

    public Task<WorkflowResult<CatalogMountView>> UnmountAsync(Guid entryId, Guid mountId, string actor, string reason, CancellationToken cancellationToken = default) =>
        RunAsync(actor, (s, ct) => s.UnmountAsync(entryId, mountId, reason, ct), cancellationToken);

    /// <summary>The entry with every version and its active mounts; null when there is none.</summary>
    public async Task<CatalogEntryView?> GetAsync(Guid entryId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.CreateContext();
        return await CatalogReads.EntryAsync(db, entryId, cancellationToken);
    }

    public async Task<CatalogVersionView?> GetVersionAsync(Guid entryId, int number, CancellationToken cancellationToken = default)
    {
        await using var db = _database.CreateContext();
        return await CatalogReads.VersionAsync(db, entryId, number, cancellationToken);
    }

    /// <summary>The entry that has <paramref name="resourceCode"/> (canonical form, e.g. 10100101/0001).</summary>
    public async Task<CatalogEntryView?> FindByResourceCodeAsync(string resourceCode, CancellationToken cancellationToken = default)
    {
        await using var db = _database.CreateContext();
        var id = await db.Entries.Where(e => e.ResourceCode == resourceCode).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken);
        return id is { } entryId ? await CatalogReads.EntryAsync(db, entryId, cancellationToken) : null;
    }

    /// <summary>Searches the catalog: published versions, or every version for admins (<see cref="CatalogQuery.AllVersions"/>).</summary>
    public async Task<WorkflowResult<CatalogPage<CatalogVersionSummary>>> SearchAsync(CatalogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = _database.CreateContext();
        return await CatalogReads.SearchAsync(db, query, _options.Value.MaxPageSize, cancellationToken);
    }

    /// <summary>Who did what to the entry, when and why, in order.</summary>
    public async Task<IReadOnlyList<CatalogAuditView>> GetHistoryAsync(Guid entryId, CancellationToken cancellationToken = default)
    {
        await using var db = _database.CreateContext();
        return await CatalogReads.HistoryAsync(db, entryId, cancellationToken);
    }

    /// <summary>Versions still in progress past their update deadline (004 第十一条), oldest deadline first.</summary>
    public async Task<IReadOnlyList<CatalogVersionSummary>> OverdueUpdatesAsync(CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await using var db = _database.CreateContext();
        var open = new[] { CatalogStatus.Draft, CatalogStatus.InReview, CatalogStatus.Registered, CatalogStatus.Returned };
        var rows = await (from v in db.Versions.AsNoTracking()
                          join e in db.Entries.AsNoTracking() on v.EntryId equals e.Id
                          where open.Contains(v.Status) && v.UpdateDueAt != null && v.UpdateDueAt < now
                          orderby v.UpdateDueAt
                          select new { Version = v, e.ProviderOrgUnitId }).ToListAsync(cancellationToken);
        return rows.Select(r => CatalogVersionSummary.From(r.Version, r.ProviderOrgUnitId)).ToList();
    }

    private CatalogSession Session(CatalogDbContext catalog, WorkflowDbContext engine, CatalogActor actor) =>
        new(catalog, engine, _form, _calendar, _options.Value, _clock, actor, _upstreams);
}
