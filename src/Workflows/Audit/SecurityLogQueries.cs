using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Audit;

/// <summary>The auditor's filter on the security log; every part optional, times as instants.</summary>
public sealed record SecurityLogSearch
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Actor { get; init; }
    public string? Kind { get; init; }
    public string? Result { get; init; }

    /// <summary>Part of the object, e.g. a user name or <c>definition:</c>.</summary>
    public string? Object { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

public sealed record SecurityEventView(long Sequence, DateTimeOffset At, string Kind, string KindName, string Result, string ResultName, string? Actor,
    string? SourceAddress, string? Object, string? Detail)
{
    public static SecurityEventView From(SecurityEventRecord r) => new(r.Sequence, new DateTimeOffset(r.At, TimeSpan.Zero), r.Kind,
        SecurityEventKinds.DisplayNames.GetValueOrDefault(r.Kind, r.Kind), r.Result, SecurityResults.DisplayNames.GetValueOrDefault(r.Result, r.Result),
        r.Actor, r.SourceAddress, r.Object, r.Detail);
}

/// <summary>Reads the security log for the auditor, newest first; the only other thing done with the table is adding rows.</summary>
public sealed class SecurityLogQueries(WorkflowStore store)
{
    public const int MaxExportRows = 100_000;

    public async Task<PageOf<SecurityEventView>> SearchAsync(SecurityLogSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var db = await store.CreateContextAsync(cancellationToken);
        var rows = Filter(db, search);
        var size = Math.Clamp(search.PageSize, 1, 200);
        var page = Math.Max(search.Page, 1);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(r => r.Sequence).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PageOf<SecurityEventView>(items.Select(SecurityEventView.From).ToList(), total, page, size);
    }

    /// <summary>Every matching row, oldest first, up to <see cref="MaxExportRows"/> (a wider export is refused by the caller).</summary>
    public async Task<(IReadOnlyList<SecurityEventView> Rows, int Total)> ExportAsync(SecurityLogSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var db = await store.CreateContextAsync(cancellationToken);
        var rows = Filter(db, search);
        var total = await rows.CountAsync(cancellationToken);
        if (total > MaxExportRows) return ([], total);
        var items = await rows.OrderBy(r => r.Sequence).ToListAsync(cancellationToken);
        return (items.Select(SecurityEventView.From).ToList(), total);
    }

    private static IQueryable<SecurityEventRecord> Filter(WorkflowDbContext db, SecurityLogSearch search)
    {
        var rows = db.SecurityLog.AsNoTracking();
        if (search.From is { } from)
        {
            var start = from.UtcDateTime;
            rows = rows.Where(r => r.At >= start);
        }

        if (search.To is { } to)
        {
            var end = to.UtcDateTime;
            rows = rows.Where(r => r.At < end);
        }

        if (!string.IsNullOrWhiteSpace(search.Actor)) rows = rows.Where(r => r.Actor == search.Actor.Trim());
        if (!string.IsNullOrWhiteSpace(search.Kind)) rows = rows.Where(r => r.Kind == search.Kind);
        if (!string.IsNullOrWhiteSpace(search.Result)) rows = rows.Where(r => r.Result == search.Result);
        if (!string.IsNullOrWhiteSpace(search.Object)) rows = rows.Where(r => r.Object != null && r.Object.Contains(search.Object.Trim()));
        return rows;
    }
}
