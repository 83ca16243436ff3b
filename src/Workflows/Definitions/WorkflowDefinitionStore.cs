using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Definitions;

/// <summary>
/// Versions of definitions. Saving a version that was ever published makes draft N+1; publishing validates and
/// retracts the previously published version; instances stay pinned to the version row they started on.
/// </summary>
public sealed class WorkflowDefinitionStore(WorkflowStore store, DefinitionValidator validator, TimeProvider clock)
{
    /// <summary>The longest release note (发布说明) a version keeps.</summary>
    public const int MaxReleaseNoteLength = 500;

    public IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition) => validator.Validate(definition);

    /// <summary>Saves a draft: the latest version is updated while it was never published, else a new version is made.</summary>
    public Task<WorkflowResult<DefinitionVersionInfo>> SaveDraftAsync(WorkflowDefinition definition, string? actor,
        CancellationToken cancellationToken = default) =>
        store.InTransactionAsync<DefinitionVersionInfo>(async (db, ct) =>
            ToInfo(await SaveAsync(db, definition, actor, source: null, forceNewVersion: false, ct)), cancellationToken);

    /// <summary>Validates and publishes a version (by default the latest) with the admin's release note, which it keeps.</summary>
    public Task<WorkflowResult<DefinitionVersionInfo>> PublishAsync(string definitionId, int? version, string? actor,
        CancellationToken cancellationToken = default) => PublishAsync(definitionId, version, actor, null, cancellationToken);

    /// <inheritdoc cref="PublishAsync(string, int?, string?, CancellationToken)"/>
    public Task<WorkflowResult<DefinitionVersionInfo>> PublishAsync(string definitionId, int? version, string? actor, string? releaseNote,
        CancellationToken cancellationToken = default) =>
        store.InTransactionAsync<DefinitionVersionInfo>(async (db, ct) =>
        {
            var versions = db.Definitions.Where(d => d.DefinitionId == definitionId);
            var target = version is { } v
                ? await versions.FirstOrDefaultAsync(d => d.Version == v, ct)
                : await versions.OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);
            if (target is null)
                return version is { } missing ? WorkflowErrors.VersionNotFound(definitionId, missing) : WorkflowErrors.DefinitionNotFound(definitionId);
            var errors = await PublishAsync(db, target, actor, ct);
            if (errors.Count > 0) return WorkflowErrors.InvalidDefinition(definitionId, errors);
            target.ReleaseNote = string.IsNullOrWhiteSpace(releaseNote) ? target.ReleaseNote : releaseNote.Trim();
            return ToInfo(target);
        }, cancellationToken);

    public Task<WorkflowResult<DefinitionVersionInfo>> RetractAsync(string definitionId, string? actor, CancellationToken cancellationToken = default) =>
        store.InTransactionAsync<DefinitionVersionInfo>(async (db, ct) =>
        {
            var published = await db.Definitions.FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsPublished, ct);
            if (published is null)
            {
                return await db.Definitions.AnyAsync(d => d.DefinitionId == definitionId, ct)
                    ? WorkflowErrors.NoPublishedVersion(definitionId)
                    : WorkflowErrors.DefinitionNotFound(definitionId);
            }

            published.IsPublished = false;
            published.RetractedAt = Now;
            return ToInfo(published);
        }, cancellationToken);

    /// <summary>Copies an old version into a new draft (the latest), leaving every existing version as it was.</summary>
    public Task<WorkflowResult<DefinitionVersionInfo>> RevertAsync(string definitionId, int version, string? actor,
        CancellationToken cancellationToken = default) =>
        store.InTransactionAsync<DefinitionVersionInfo>(async (db, ct) =>
        {
            var source = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, ct);
            if (source is null) return WorkflowErrors.VersionNotFound(definitionId, version);
            return ToInfo(await SaveAsync(db, DefinitionSerializer.Deserialize(source.Json), actor, $"revert:v{version}", forceNewVersion: true, ct));
        }, cancellationToken);

    public async Task<IReadOnlyList<DefinitionVersionInfo>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var records = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderBy(d => d.Version).ToListAsync(cancellationToken);
        // Publishing a version retracts the one before at the same instant: that one was superseded, not withdrawn (撤销).
        return records.Select(r => r.IsPublished || r.PublishedAt is null || r.RetractedAt is not { } retracted
                ? ToInfo(r)
                : records.FirstOrDefault(o => o.Id != r.Id && o.PublishedAt == retracted) is { } successor
                    ? ToInfo(r) with { State = VersionStates.Superseded, SupersededBy = successor.Version }
                    : ToInfo(r))
            .ToList();
    }

    /// <summary>The latest version of every definition.</summary>
    public async Task<IReadOnlyList<DefinitionVersionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var records = await db.Definitions.AsNoTracking().Where(d => d.IsLatest).OrderBy(d => d.DefinitionId).ToListAsync(cancellationToken);
        return records.Select(ToInfo).ToList();
    }

    /// <summary>One version (by default the latest), with its version flags as they stand now.</summary>
    public async Task<WorkflowDefinition?> GetAsync(string definitionId, int? version = null, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        var query = db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId);
        var record = version is { } v
            ? await query.FirstOrDefaultAsync(d => d.Version == v, cancellationToken)
            : await query.FirstOrDefaultAsync(d => d.IsLatest, cancellationToken);
        return record is null ? null : Materialize(record);
    }

    /// <summary>What changed from one version to another (see <see cref="DefinitionDiff"/>).</summary>
    public async Task<WorkflowResult<DefinitionDiff>> DiffAsync(string definitionId, int fromVersion, int toVersion, CancellationToken cancellationToken = default)
    {
        var from = await GetAsync(definitionId, fromVersion, cancellationToken);
        if (from is null) return WorkflowErrors.VersionNotFound(definitionId, fromVersion);
        var to = await GetAsync(definitionId, toVersion, cancellationToken);
        if (to is null) return WorkflowErrors.VersionNotFound(definitionId, toVersion);
        return DefinitionDiff.Compare(from, to);
    }

    internal async Task<DefinitionRecord> SaveAsync(WorkflowDbContext db, WorkflowDefinition definition, string? actor, string? source,
        bool forceNewVersion, CancellationToken cancellationToken)
    {
        var latest = await db.Definitions.Where(d => d.DefinitionId == definition.DefinitionId)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        var copy = DefinitionSerializer.Clone(definition);
        copy.IsPublished = false;
        copy.IsLatest = true;
        if (latest is { PublishedAt: null } && !forceNewVersion)
        {
            copy.Version = latest.Version;
            copy.Id = latest.Id.ToString();
            latest.Json = DefinitionSerializer.Serialize(copy);
            latest.ContentHash = DefinitionSerializer.ContentHash(copy);
            latest.Name = copy.Name;
            latest.Description = copy.Description;
            latest.Source = source ?? latest.Source;
            latest.CreatedBy = actor;
            latest.CreatedAt = Now;
            return latest;
        }

        if (latest is not null) latest.IsLatest = false;
        var record = new DefinitionRecord
        {
            Id = Guid.NewGuid(),
            DefinitionId = copy.DefinitionId,
            Version = (latest?.Version ?? 0) + 1,
            Name = copy.Name,
            Description = copy.Description,
            IsLatest = true,
            Json = "",
            ContentHash = DefinitionSerializer.ContentHash(copy),
            Source = source,
            CreatedAt = Now,
            CreatedBy = actor,
        };
        copy.Version = record.Version;
        copy.Id = record.Id.ToString();
        record.Json = DefinitionSerializer.Serialize(copy);
        db.Definitions.Add(record);
        return record;
    }

    /// <summary>Validates and publishes; returns the errors instead when there are any.</summary>
    internal async Task<IReadOnlyList<DefinitionError>> PublishAsync(WorkflowDbContext db, DefinitionRecord target, string? actor,
        CancellationToken cancellationToken)
    {
        var errors = validator.Validate(DefinitionSerializer.Deserialize(target.Json));
        if (errors.Count > 0) return errors;
        var now = Now;
        var previouslyPublished = await db.Definitions
            .Where(d => d.DefinitionId == target.DefinitionId && d.IsPublished && d.Id != target.Id).ToListAsync(cancellationToken);
        foreach (var previous in previouslyPublished.Concat(db.Definitions.Local.Where(d =>
                     d.DefinitionId == target.DefinitionId && d.IsPublished && d.Id != target.Id)).Distinct())
        {
            previous.IsPublished = false;
            previous.RetractedAt = now;
        }

        target.IsPublished = true;
        target.PublishedAt = now;
        target.PublishedBy = actor;
        target.RetractedAt = null;
        return [];
    }

    internal static WorkflowDefinition Materialize(DefinitionRecord record)
    {
        var definition = DefinitionSerializer.Deserialize(record.Json);
        definition.Id = record.Id.ToString();
        definition.Version = record.Version;
        definition.IsLatest = record.IsLatest;
        definition.IsPublished = record.IsPublished;
        return definition;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static DefinitionVersionInfo ToInfo(DefinitionRecord r) => new(r.Id, r.DefinitionId, r.Version, r.Name, r.IsLatest, r.IsPublished,
        r.ContentHash, r.Source, Utc(r.CreatedAt), r.CreatedBy, r.PublishedAt is { } p ? Utc(p) : null, r.PublishedBy,
        r.RetractedAt is { } x ? Utc(x) : null)
    {
        ReleaseNote = r.ReleaseNote,
        State = r.IsPublished ? VersionStates.Published : r.PublishedAt is null ? VersionStates.Draft : VersionStates.Retracted,
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
