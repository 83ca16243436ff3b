using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>Why a published entry changes (变更): the reason, the new data, and when the change that obliges it happened.</summary>
/// <param name="Reason">变更原因, e.g. 《……条例》修订，新增信息项.</param>
/// <param name="Data">The new version's data; null starts from the published version's.</param>
/// <param name="ChangeOccurredAt">When the law or the department's function changed: the new version is due 10 working days
/// later (004 第十一条; <see cref="CatalogOptions.UpdateDutyWorkingDays"/>).</param>
public sealed record CatalogRevision(string Reason, JsonObject? Data = null, DateTimeOffset? ChangeOccurredAt = null);

/// <summary>
/// The catalog's commands inside one unit of work of the engine: the Host's (<see cref="CatalogService.RunAsync{T}"/>) or a
/// workflow burst's (<see cref="CatalogService.InBurstAsync{T}"/>). Each command checks, changes, writes its audit row and
/// saves to the shared transaction at once, so the next command (or activity) sees it; the transaction's owner commits or
/// rolls back. A refused command changes nothing.
/// </summary>
public sealed class CatalogSession
{
    private readonly CatalogDbContext _catalog;
    private readonly WorkflowDbContext _engine;
    private readonly CatalogForm _form;
    private readonly WorkingDayCalendar _calendar;
    private readonly CatalogOptions _options;
    private readonly TimeProvider _clock;
    private readonly UpstreamPolicy _upstreams;
    private readonly Dictionary<Guid, int> _sequences = [];

    internal CatalogSession(CatalogDbContext catalog, WorkflowDbContext engine, CatalogForm form, WorkingDayCalendar calendar,
        CatalogOptions options, TimeProvider clock, CatalogActor actor, UpstreamPolicy upstreams)
    {
        _upstreams = upstreams;
        _catalog = catalog;
        _engine = engine;
        _form = form;
        _calendar = calendar;
        _options = options;
        _clock = clock;
        Actor = actor;
    }

    public CatalogActor Actor { get; }

    /// <summary>The catalog context enlisted in the unit of work, for reads beyond the commands below.</summary>
    public CatalogDbContext Db => _catalog;

    /// <summary>Microseconds, as PostgreSQL keeps them, so a time reads back as it was written.</summary>
    private DateTime Now
    {
        get
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
        }
    }

    /// <summary>编目: a new entry of <paramref name="providerOrgUnitId"/> whose first version is a draft of <paramref name="data"/>.</summary>
    public async Task<WorkflowResult<CatalogVersionView>> CreateAsync(string providerOrgUnitId, JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var provider = await ProviderAsync(providerOrgUnitId, cancellationToken);
        if (provider is not { IsActive: true }) return CatalogErrors.ProviderNotFound(providerOrgUnitId);
        var checkedData = await CheckDataAsync(data, provider, null, cancellationToken);
        if (!checkedData.IsSuccess) return checkedData.Error!;

        var now = Now;
        var entry = new CatalogEntry(checkedData.Value.ResourceCode, provider.Id, Actor, now);
        var version = CatalogVersion.NewDraft(entry.Id, 1, checkedData.Value, Actor, now);
        _catalog.Entries.Add(entry);
        _catalog.Versions.Add(version);
        await AuditAsync(CatalogAuditRecord.Of(version, CatalogAction.Created, null, Actor, now, null, null), cancellationToken);
        return await SaveAsync(entry, version, cancellationToken);
    }

    /// <summary>
    /// 代理: registers a provincial or national resource in the city catalog under the bureau that proxies it
    /// (<paramref name="proxyOrgUnitId"/>), with its <paramref name="source"/>, and publishes it at once: the provincial
    /// department's approval stands in for the city's review (000 五). The provider code is the source department's, not the
    /// bureau's. A resource already proxied from the same source is answered with its entry, so a repeated call adds nothing.
    /// </summary>
    public async Task<WorkflowResult<CatalogVersionView>> CreateProxiedAsync(string proxyOrgUnitId, JsonObject data, CatalogSource source,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(source);
        if (CheckSource(source) is { } invalid) return invalid;
        var existing = await _catalog.Entries
            .Where(e => e.SourceLevel == source.Level && e.SourceResourceCode == source.ResourceCode).Select(e => (Guid?)e.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is { } entryId)
        {
            var view = await GetAsync(entryId, cancellationToken);
            return view?.Published is { } published ? published : CatalogErrors.ProxiedNotPublished(source);
        }

        var proxy = await ProviderAsync(proxyOrgUnitId, cancellationToken);
        if (proxy is not { IsActive: true }) return CatalogErrors.ProviderNotFound(proxyOrgUnitId);
        var checkedData = await CheckDataAsync(data, null, null, cancellationToken);
        if (!checkedData.IsSuccess) return checkedData.Error!;

        var now = Now;
        var entry = new CatalogEntry(checkedData.Value.ResourceCode, proxy.Id, Actor, now, source);
        var version = CatalogVersion.NewDraft(entry.Id, 1, checkedData.Value, Actor, now);
        _catalog.Entries.Add(entry);
        _catalog.Versions.Add(version);
        var details = new JsonObject
        {
            ["sourceLevel"] = source.Level, ["sourceDepartment"] = source.Department, ["sourceResourceCode"] = source.ResourceCode,
            ["sourceRequest"] = source.Request,
        };
        await AuditAsync(CatalogAuditRecord.Of(version, CatalogAction.Created, null, Actor, now, null, details), cancellationToken);
        var created = await SaveAsync(entry, version, cancellationToken);
        if (!created.IsSuccess) return created;

        var comment = $"{(source.Level == CatalogSource.National ? "国家" : "省级")}资源代理：{source.Department}同意（{source.ResourceCode}）";
        foreach (var step in new Func<Task<WorkflowResult<CatalogVersionView>>>[]
                 {
                     () => SubmitAsync(entry.Id, comment, cancellationToken),
                     () => RegisterAsync(entry.Id, comment, cancellationToken),
                 })
        {
            var moved = await step();
            if (!moved.IsSuccess) return moved;
        }

        return await PublishAsync(entry.Id, comment, cancellationToken);
    }

    /// <summary>Replaces the data of the entry's draft. While the entry was never published, the resource code may change.</summary>
    public async Task<WorkflowResult<CatalogVersionView>> UpdateDraftAsync(Guid entryId, JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (entry, versions) = await LoadAsync(entryId, cancellationToken);
        if (entry is null) return CatalogErrors.EntryNotFound(entryId);
        var draft = Working(versions);
        if (draft.Status != CatalogStatus.Draft) return CatalogErrors.NotEditable(draft);
        var checkedData = await CheckDataAsync(data, await CodeOwnerAsync(entry, cancellationToken), entry, cancellationToken);
        if (!checkedData.IsSuccess) return checkedData.Error!;

        if (checkedData.Value.ResourceCode != entry.ResourceCode) entry.ChangeResourceCode(checkedData.Value.ResourceCode);
        var edited = draft.Edit(checkedData.Value, Actor, Now);
        if (!edited.IsSuccess) return edited.Error!;
        await AuditAsync(edited.Value, cancellationToken);
        return await SaveAsync(entry, draft, cancellationToken);
    }

    /// <summary>
    /// 变更: a change to a published (or withdrawn) entry starts a new version as a draft. The published version stays in
    /// the catalog until the new one is published. Refused while another version is in progress.
    /// </summary>
    public async Task<WorkflowResult<CatalogVersionView>> ReviseAsync(Guid entryId, CatalogRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var (entry, versions) = await LoadAsync(entryId, cancellationToken);
        if (entry is null) return CatalogErrors.EntryNotFound(entryId);
        if (versions.FirstOrDefault(v => v.IsOpen) is { } open) return CatalogErrors.OpenVersionExists(open);
        var basis = versions[^1];
        if (!entry.EverPublished) return CatalogErrors.NeverPublished(basis);
        if (string.IsNullOrWhiteSpace(revision.Reason)) return CatalogErrors.ReasonRequired(CatalogAction.Revised);

        var checkedData = await CheckDataAsync(revision.Data ?? basis.Data, await CodeOwnerAsync(entry, cancellationToken), entry, cancellationToken);
        if (!checkedData.IsSuccess) return checkedData.Error!;

        var now = Now;
        DateTime? due = revision.ChangeOccurredAt is { } occurred
            ? _calendar.AddWorkingDays(occurred, _options.UpdateDutyWorkingDays).Deadline.UtcDateTime
            : null;
        var reason = revision.Reason.Trim();
        var version = CatalogVersion.NewDraft(entry.Id, basis.Number + 1, checkedData.Value, Actor, now, reason, due);
        _catalog.Versions.Add(version);
        var details = new JsonObject { ["basedOn"] = basis.Number };
        if (revision.ChangeOccurredAt is { } changed) details["changeOccurredAt"] = changed.ToString("O");
        if (due is { } dueAt) details["updateDueAt"] = CatalogVersionSummary.Utc(dueAt).ToString("O");
        await AuditAsync(CatalogAuditRecord.Of(version, CatalogAction.Revised, null, Actor, now, reason, details), cancellationToken);
        return await SaveAsync(entry, version, cancellationToken);
    }

    /// <summary>提交编审: draft → in review.</summary>
    public Task<WorkflowResult<CatalogVersionView>> SubmitAsync(Guid entryId, string? comment = null, CancellationToken cancellationToken = default) =>
        MoveAsync(entryId, Working, (version, now) => version.Submit(Actor, now, comment), cancellationToken);

    /// <summary>编审退回: in review → draft; the reason is required.</summary>
    public Task<WorkflowResult<CatalogVersionView>> ReturnFromReviewAsync(Guid entryId, string reason, CancellationToken cancellationToken = default) =>
        MoveAsync(entryId, Working, (version, now) => version.ReturnFromReview(Actor, now, reason), cancellationToken);

    /// <summary>提交注册: in review → registered, submitted to the platform for its audit.</summary>
    public Task<WorkflowResult<CatalogVersionView>> RegisterAsync(Guid entryId, string? comment = null, CancellationToken cancellationToken = default) =>
        MoveAsync(entryId, Working, (version, now) => version.Register(Actor, now, comment), cancellationToken);

    /// <summary>注册退回: registered → returned, with the problems the platform admin found (at least one).</summary>
    public Task<WorkflowResult<CatalogVersionView>> ReturnRegistrationAsync(Guid entryId, IReadOnlyList<string> problems,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return MoveAsync(entryId, Working, (version, now) => version.ReturnRegistration(Actor, now, problems), cancellationToken);
    }

    /// <summary>重新编目: returned → draft, to correct the problems found.</summary>
    public Task<WorkflowResult<CatalogVersionView>> ReopenAsync(Guid entryId, string? comment = null, CancellationToken cancellationToken = default) =>
        MoveAsync(entryId, Working, (version, now) => version.Reopen(Actor, now, comment), cancellationToken);

    /// <summary>发布: registered → published; the version published before it becomes superseded.</summary>
    public async Task<WorkflowResult<CatalogVersionView>> PublishAsync(Guid entryId, string? comment = null, CancellationToken cancellationToken = default)
    {
        var (entry, versions) = await LoadAsync(entryId, cancellationToken);
        if (entry is null) return CatalogErrors.EntryNotFound(entryId);
        var version = Working(versions);
        var now = Now;
        if (version.Allows(CatalogAction.Published) && versions.FirstOrDefault(v => v.Status == CatalogStatus.Published) is { } previous)
        {
            await AuditAsync(previous.Supersede(Actor, now, version.Number).Value, cancellationToken);

            // Saved first: at no moment may two versions of an entry be published (IX_cat_versions_EntryId_Published).
            if (await SaveAsync(cancellationToken) is { } conflict) return conflict;
        }

        var published = version.Publish(Actor, now, comment);
        if (!published.IsSuccess) return published.Error!;
        entry.MarkPublished();
        await AuditAsync(published.Value, cancellationToken);
        return await SaveAsync(entry, version, cancellationToken);
    }

    /// <summary>撤销发布: published → withdrawn; the reason is required. The catalog then shows no version of the entry.</summary>
    public Task<WorkflowResult<CatalogVersionView>> WithdrawAsync(Guid entryId, string reason, CancellationToken cancellationToken = default) =>
        MoveAsync(entryId, PublishedOrLatest, (version, now) => version.Withdraw(Actor, now, reason), cancellationToken);

    /// <summary>资源挂接: mounts a table, a folder of files or an interface on the entry's published version.</summary>
    public async Task<WorkflowResult<CatalogMountView>> MountAsync(Guid entryId, CatalogMountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (entry, versions) = await LoadAsync(entryId, cancellationToken);
        if (entry is null) return CatalogErrors.EntryNotFound(entryId);
        var published = PublishedOrLatest(versions);
        if (published.Status != CatalogStatus.Published) return CatalogErrors.NotMountable(published);

        var checkedMount = CatalogMounts.Check(_form, published, request);
        if (!checkedMount.IsSuccess) return checkedMount.Error!;
        var (target, name, files) = checkedMount.Value;
        // The gateway will forward calls there: an internal address (SSRF) is refused now, and again on every call.
        if (request.Kind == CatalogMountKind.Api && await _upstreams.CheckAsync(new Uri(target), cancellationToken) is { } notAllowed)
            return CatalogErrors.Field("endpoint", "endpoint.not_allowed", notAllowed);
        var active = await _catalog.Mounts.Where(m => m.EntryId == entryId && m.RemovedAt == null).ToListAsync(cancellationToken);
        if (active.Any(m => m.Kind == request.Kind && string.Equals(m.Target, target, StringComparison.OrdinalIgnoreCase)))
            return CatalogErrors.MountExists(request.Kind, target);

        var now = Now;
        var mount = new CatalogMount
        {
            Id = Guid.NewGuid(),
            EntryId = entryId,
            Kind = request.Kind,
            Target = target,
            Name = name,
            FilesJson = files.Count == 0 ? null : JsonSerializer.Serialize(files, CatalogJson.Stored),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            MountedAt = now,
            MountedBy = Actor.Id,
        };
        _catalog.Mounts.Add(mount);
        await AuditAsync(CatalogAuditRecord.Of(published, CatalogAction.Mounted, published.Status, Actor, now, mount.Description,
            MountDetails(mount)), cancellationToken);
        if (await SaveAsync(cancellationToken) is { } error) return error;
        return CatalogMountView.From(mount);
    }

    /// <summary>解除挂接: the mount is kept, marked removed, with the reason.</summary>
    public async Task<WorkflowResult<CatalogMountView>> UnmountAsync(Guid entryId, Guid mountId, string reason, CancellationToken cancellationToken = default)
    {
        var mount = await _catalog.Mounts.FirstOrDefaultAsync(m => m.Id == mountId && m.EntryId == entryId && m.RemovedAt == null, cancellationToken);
        if (mount is null) return CatalogErrors.MountNotFound(mountId);
        if (string.IsNullOrWhiteSpace(reason)) return CatalogErrors.ReasonRequired(CatalogAction.Unmounted);
        var now = Now;
        mount.Remove(Actor, now, reason.Trim());
        await AuditAsync(CatalogAuditRecord.OfEntry(entryId, CatalogAction.Unmounted, Actor, now, mount.RemovedReason, MountDetails(mount)), cancellationToken);
        if (await SaveAsync(cancellationToken) is { } error) return error;
        return CatalogMountView.From(mount);
    }

    /// <summary>The entry as this unit of work sees it (including what it has not committed yet).</summary>
    public Task<CatalogEntryView?> GetAsync(Guid entryId, CancellationToken cancellationToken = default) =>
        CatalogReads.EntryAsync(_catalog, entryId, cancellationToken);

    /// <summary>Adds a row to the entry's history, numbered after the rows already there.</summary>
    private async Task AuditAsync(CatalogAuditRecord record, CancellationToken cancellationToken)
    {
        if (!_sequences.TryGetValue(record.EntryId, out var last))
            last = await _catalog.Audit.Where(a => a.EntryId == record.EntryId).MaxAsync(a => (int?)a.Sequence, cancellationToken) ?? 0;
        record.Sequence = _sequences[record.EntryId] = last + 1;
        _catalog.Audit.Add(record);
    }

    private async Task<WorkflowResult<CatalogVersionView>> MoveAsync(Guid entryId, Func<IReadOnlyList<CatalogVersion>, CatalogVersion> target,
        Func<CatalogVersion, DateTime, WorkflowResult<CatalogAuditRecord>> move, CancellationToken cancellationToken)
    {
        var (entry, versions) = await LoadAsync(entryId, cancellationToken);
        if (entry is null) return CatalogErrors.EntryNotFound(entryId);
        var version = target(versions);
        var moved = move(version, Now);
        if (!moved.IsSuccess) return moved.Error!;
        await AuditAsync(moved.Value, cancellationToken);
        return await SaveAsync(entry, version, cancellationToken);
    }

    /// <summary>The version in progress, or else the latest: the one a lifecycle command is about.</summary>
    private static CatalogVersion Working(IReadOnlyList<CatalogVersion> versions) => versions.FirstOrDefault(v => v.IsOpen) ?? versions[^1];

    private static CatalogVersion PublishedOrLatest(IReadOnlyList<CatalogVersion> versions) =>
        versions.FirstOrDefault(v => v.Status == CatalogStatus.Published) ?? versions[^1];

    private async Task<(CatalogEntry? Entry, IReadOnlyList<CatalogVersion> Versions)> LoadAsync(Guid entryId, CancellationToken cancellationToken)
    {
        var entry = await _catalog.Entries.FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is null) return (null, []);
        var versions = await _catalog.Versions.Where(v => v.EntryId == entryId).OrderBy(v => v.Number).ToListAsync(cancellationToken);
        return (entry, versions);
    }

    /// <summary>The provider department, from the engine's organisation in the same unit of work.</summary>
    private Task<OrgUnitRecord?> ProviderAsync(string orgUnitId, CancellationToken cancellationToken) =>
        _engine.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == orgUnitId, cancellationToken);

    /// <summary>The department whose credit code the entry's provider code must be: none for a proxied entry, whose provider is its source.</summary>
    private async Task<OrgUnitRecord?> CodeOwnerAsync(CatalogEntry entry, CancellationToken cancellationToken) =>
        entry.Source is null ? await ProviderAsync(entry.ProviderOrgUnitId, cancellationToken) : null;

    private static WorkflowError? CheckSource(CatalogSource source)
    {
        if (source.Level is not (CatalogSource.Province or CatalogSource.National))
            return CatalogErrors.Field("source.level", "source.level", "代理资源的来源层级应为 province（省级）或 national（国家）");
        if (string.IsNullOrWhiteSpace(source.Department))
            return CatalogErrors.Field("source.department", "source.department.required", "请填写代理资源的提供部门");
        if (string.IsNullOrWhiteSpace(source.ResourceCode))
            return CatalogErrors.Field("source.resourceCode", "source.resourceCode.required", "请填写代理资源在原平台的资源代码");
        return null;
    }

    /// <summary>
    /// The form's rules, then what only the catalog knows: the resource code is not another entry's and does not change once
    /// published, and the provider code is the provider department's own credit code when the department has one recorded.
    /// </summary>
    private async Task<WorkflowResult<CatalogData>> CheckDataAsync(JsonObject data, OrgUnitRecord? provider, CatalogEntry? entry,
        CancellationToken cancellationToken)
    {
        var (result, formVersion) = _form.ValidateEntry(data);
        if (!result.IsValid) return CatalogErrors.FormInvalid(result.Errors);
        var checkedData = CatalogData.From(result.Data, formVersion);
        var errors = new List<FormError>();
        var code = checkedData.ResourceCode;
        if (entry is not null && code != entry.ResourceCode && !entry.MayChangeResourceCode)
        {
            errors.Add(new FormError(CatalogFields.ResourceCode, "resourceCode.immutable",
                $"信息资源代码是资源的唯一不变标识，已发布的目录不能修改（应为 {entry.ResourceCode}）"));
        }
        else if ((entry is null || code != entry.ResourceCode) &&
                 await _catalog.Entries.Where(e => e.ResourceCode == code).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellationToken) is not null)
        {
            errors.Add(new FormError(CatalogFields.ResourceCode, "resourceCode.taken", $"信息资源代码 {code} 已被其他目录使用"));
        }

        var providerCode = checkedData.Json[CatalogFields.ProviderCode]?.GetValue<string>();
        if (provider?.CreditCode is { Length: > 0 } creditCode && providerCode != creditCode)
        {
            errors.Add(new FormError(CatalogFields.ProviderCode, "providerCode.mismatch",
                $"信息资源提供方代码应为提供方部门“{provider.Name}”的统一社会信用代码 {creditCode}"));
        }

        return errors.Count > 0 ? CatalogErrors.FormInvalid(errors) : checkedData;
    }

    private async Task<WorkflowResult<CatalogVersionView>> SaveAsync(CatalogEntry entry, CatalogVersion version, CancellationToken cancellationToken)
    {
        if (await SaveAsync(cancellationToken) is { } error) return error;
        return CatalogVersionView.From(version, entry.ProviderOrgUnitId);
    }

    /// <summary>Another unit of work changed the same rows first (the revision tokens or the unique indexes tell).</summary>
    private async Task<WorkflowError?> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _catalog.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return CatalogErrors.ConcurrentUpdate();
        }
        catch (DbUpdateException ex) when (DatabaseDialect.Of(_catalog.Database).IsUniqueViolation(ex))
        {
            return CatalogErrors.ConcurrentUpdate();
        }
    }

    private static JsonObject MountDetails(CatalogMount mount) => new()
    {
        ["mountId"] = mount.Id.ToString(),
        ["kind"] = mount.Kind.ToString(),
        ["target"] = mount.Target,
        ["name"] = mount.Name,
    };
}
