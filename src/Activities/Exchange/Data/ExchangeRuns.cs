using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>A run as the web UI and the API show it, with its progress as a fraction when the total is known.</summary>
public sealed record ExchangeRunView(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    ExchangeKind Kind,
    string ResourceCode,
    string ResourceName,
    string ProviderOrgUnitId,
    string ConsumerOrgUnitId,
    string TargetOrgUnitId,
    string TargetLevel,
    string Mode,
    string Source,
    string Target,
    ExchangeRunStatus Status,
    string StatusName,
    int Attempts,
    long? RowsTotal,
    long RowsDone,
    int? FilesTotal,
    int FilesDone,
    long? BytesTotal,
    long BytesDone,
    double? Progress,
    string? SourceChecksum,
    string? Checksum,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    internal static ExchangeRunView From(ExchangeRun r)
    {
        double? progress = r.Status == ExchangeRunStatus.Succeeded ? 1
            : r.Kind == ExchangeKind.Table ? Fraction(r.RowsDone, r.RowsTotal)
            : Fraction(r.BytesDone, r.BytesTotal) ?? Fraction(r.FilesDone, r.FilesTotal);
        return new ExchangeRunView(r.Id, r.InstanceId, r.ActivityId, r.Kind, r.ResourceCode, r.ResourceName, r.ProviderOrgUnitId, r.ConsumerOrgUnitId,
            r.TargetOrgUnitId, r.TargetLevel, r.Mode, r.Source, r.Target, r.Status, StatusNames[r.Status], r.Attempts, r.RowsTotal, r.RowsDone,
            r.FilesTotal, r.FilesDone, r.BytesTotal, r.BytesDone, progress, r.SourceChecksum, r.Checksum, Utc(r.StartedAt), Utc(r.UpdatedAt),
            r.FinishedAt is { } f ? Utc(f) : null, r.Error);
    }

    private static readonly Dictionary<ExchangeRunStatus, string> StatusNames = new()
    {
        [ExchangeRunStatus.Running] = "交换中",
        [ExchangeRunStatus.Succeeded] = "已完成",
        [ExchangeRunStatus.Failed] = "失败",
    };

    private static double? Fraction(long done, long? total) => total switch
    {
        null => null,
        0 => 1,
        { } t => Math.Min(1, (double)done / t),
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

public sealed record ExchangeRunFileView(string Path, long Bytes, string Sha256);

/// <summary>
/// What the web UI and the API read about exchanges: a run (by its id, <see cref="ExchangeRun.IdOf"/> of the step's
/// execution key) or the runs of a case, with their progress while they run, and the files a file exchange delivered.
/// </summary>
public interface IExchangeProgress
{
    Task<ExchangeRunView?> GetAsync(Guid runId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ExchangeRunView>> OfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>The exchanges running now, oldest first.</summary>
    Task<IReadOnlyList<ExchangeRunView>> RunningAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ExchangeRunFileView>> FilesAsync(Guid runId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Records runs. The run's final state (done or failed, counts, checksums, files) is written in the step's burst, so
/// it commits with the step's outcome. Progress during the run cannot wait for that commit: where the database allows
/// concurrent writers (PostgreSQL) it is written to <c>exc_runs</c> on a connection of its own after every batch, so any
/// node sees it; on SQLite the burst holds the database's only write lock until it commits (transactions begin
/// IMMEDIATE), so the progress of a running exchange is kept in this process's memory — SQLite means one node, so that is
/// where every reader is.
/// </summary>
public sealed class ExchangeRunRecorder(ExchangeDatabase database) : IExchangeProgress
{
    private readonly ConcurrentDictionary<Guid, ExchangeRun> _running = new();

    private bool PersistProgress => database.Dialect.AllowsConcurrentWriters;

    internal async Task BeginAsync(ExchangeRun run, CancellationToken cancellationToken)
    {
        _running[run.Id] = run.Copy();
        if (!PersistProgress) return;
        await using var db = database.CreateContext();
        var existing = await db.Runs.FindAsync([run.Id], cancellationToken);
        if (existing is null) db.Runs.Add(run.Copy());
        else db.Entry(existing).CurrentValues.SetValues(run);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task ProgressAsync(ExchangeRun run, CancellationToken cancellationToken)
    {
        _running[run.Id] = run.Copy();
        if (!PersistProgress) return;
        await using var db = database.CreateContext();
        await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.RowsTotal, run.RowsTotal)
            .SetProperty(r => r.RowsDone, run.RowsDone)
            .SetProperty(r => r.FilesTotal, run.FilesTotal)
            .SetProperty(r => r.FilesDone, run.FilesDone)
            .SetProperty(r => r.BytesTotal, run.BytesTotal)
            .SetProperty(r => r.BytesDone, run.BytesDone)
            .SetProperty(r => r.UpdatedAt, run.UpdatedAt), cancellationToken);
    }

    /// <summary>Writes the run's final state, and the files it delivered, in the step's burst.</summary>
    internal async Task FinishAsync(ActivityExecutionContext context, ExchangeRun run, IReadOnlyList<ExchangeRunFile> files)
    {
        await using (var db = database.Join(context.Db))
        {
            var existing = await db.Runs.FindAsync([run.Id], context.CancellationToken);
            if (existing is null) db.Runs.Add(run.Copy());
            else db.Entry(existing).CurrentValues.SetValues(run);
            await db.Files.Where(f => f.RunId == run.Id).ExecuteDeleteAsync(context.CancellationToken);
            db.Files.AddRange(files);
            await db.SaveChangesAsync(context.CancellationToken);
        }

        _running.TryRemove(run.Id, out _);
    }

    public async Task<ExchangeRunView?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        if (_running.TryGetValue(runId, out var live)) return ExchangeRunView.From(live);
        await using var db = database.CreateContext();
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        return run is null ? null : ExchangeRunView.From(run);
    }

    public async Task<IReadOnlyList<ExchangeRunView>> OfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var stored = await db.Runs.AsNoTracking().Where(r => r.InstanceId == instanceId).ToListAsync(cancellationToken);
        var live = _running.Values.Where(r => r.InstanceId == instanceId).ToDictionary(r => r.Id);
        return stored.Where(r => !live.ContainsKey(r.Id)).Concat(live.Values)
            .OrderBy(r => r.StartedAt).Select(ExchangeRunView.From).ToList();
    }

    public async Task<IReadOnlyList<ExchangeRunView>> RunningAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var stored = await db.Runs.AsNoTracking().Where(r => r.Status == ExchangeRunStatus.Running).ToListAsync(cancellationToken);
        var live = _running.Values.ToDictionary(r => r.Id);
        return stored.Where(r => !live.ContainsKey(r.Id)).Concat(live.Values)
            .OrderBy(r => r.StartedAt).Select(ExchangeRunView.From).ToList();
    }

    public async Task<IReadOnlyList<ExchangeRunFileView>> FilesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Files.AsNoTracking().Where(f => f.RunId == runId).OrderBy(f => f.Path)
            .Select(f => new ExchangeRunFileView(f.Path, f.Bytes, f.Sha256)).ToListAsync(cancellationToken);
    }
}
