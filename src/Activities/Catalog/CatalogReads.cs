using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>The catalog's queries, on whichever context the caller has (its own connection, or a joined unit of work).</summary>
internal static class CatalogReads
{
    public static async Task<CatalogEntryView?> EntryAsync(CatalogDbContext db, Guid entryId, CancellationToken cancellationToken)
    {
        var entry = await db.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is null) return null;
        var versions = await db.Versions.AsNoTracking().Where(v => v.EntryId == entryId).OrderBy(v => v.Number).ToListAsync(cancellationToken);
        var mounts = await db.Mounts.AsNoTracking().Where(m => m.EntryId == entryId && m.RemovedAt == null).OrderBy(m => m.MountedAt)
            .ToListAsync(cancellationToken);
        var published = versions.FirstOrDefault(v => v.Status == CatalogStatus.Published);
        var open = versions.FirstOrDefault(v => v.IsOpen);
        return new CatalogEntryView(entry.Id, entry.ResourceCode, entry.ProviderOrgUnitId, CatalogVersionSummary.Utc(entry.CreatedAt), entry.CreatedBy,
            published is null ? null : CatalogVersionView.From(published, entry.ProviderOrgUnitId),
            open is null ? null : CatalogVersionView.From(open, entry.ProviderOrgUnitId),
            versions.Select(v => CatalogVersionSummary.From(v, entry.ProviderOrgUnitId)).ToList(),
            mounts.Select(CatalogMountView.From).ToList(),
            entry.Source);
    }

    public static async Task<CatalogVersionView?> VersionAsync(CatalogDbContext db, Guid entryId, int number, CancellationToken cancellationToken)
    {
        var found = await (from v in db.Versions.AsNoTracking()
                           join e in db.Entries.AsNoTracking() on v.EntryId equals e.Id
                           where v.EntryId == entryId && v.Number == number
                           select new { Version = v, e.ProviderOrgUnitId }).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : CatalogVersionView.From(found.Version, found.ProviderOrgUnitId);
    }

    public static async Task<WorkflowResult<CatalogPage<CatalogVersionSummary>>> SearchAsync(CatalogDbContext db, CatalogQuery query, int maxPageSize,
        CancellationToken cancellationToken)
    {
        if (query.Page < 1) return CatalogErrors.Invalid("page_invalid", "页码应从 1 开始。");
        if (query.PageSize < 1 || query.PageSize > maxPageSize) return CatalogErrors.Invalid("page_size_invalid", $"每页条数应在 1 到 {maxPageSize} 之间。");
        var classification = query.Classification?.Trim();
        if (!string.IsNullOrEmpty(classification) && !(classification[0] is >= '1' and <= '3' && classification.All(char.IsAsciiDigit)))
            return CatalogErrors.Invalid("classification_invalid", "资源分类应为分类码的前几位数字，以类（1、2、3）开头，如 3、341、341400。");

        var rows = from v in db.Versions.AsNoTracking()
                   join e in db.Entries.AsNoTracking() on v.EntryId equals e.Id
                   select new { Version = v, e.ProviderOrgUnitId };
        if (!query.AllVersions) rows = rows.Where(r => r.Version.Status == CatalogStatus.Published);
        else if (query.Status is { } status) rows = rows.Where(r => r.Version.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Name))
        {
            var name = query.Name.Trim();
            rows = rows.Where(r => r.Version.ResourceName.Contains(name));
        }

        if (!string.IsNullOrWhiteSpace(query.ProviderOrgUnitId)) rows = rows.Where(r => r.ProviderOrgUnitId == query.ProviderOrgUnitId);
        if (!string.IsNullOrEmpty(classification)) rows = rows.Where(r => r.Version.ClassificationCode.StartsWith(classification));
        if (query.ShareType is { } shareType) rows = rows.Where(r => r.Version.ShareType == shareType);
        if (!string.IsNullOrWhiteSpace(query.FormatCategory)) rows = rows.Where(r => r.Version.FormatCategory == query.FormatCategory);

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderBy(r => r.Version.ResourceCode).ThenByDescending(r => r.Version.Number)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new CatalogPage<CatalogVersionSummary>(page.Select(r => CatalogVersionSummary.From(r.Version, r.ProviderOrgUnitId)).ToList(),
            total, query.Page, query.PageSize);
    }

    public static async Task<IReadOnlyList<CatalogAuditView>> HistoryAsync(CatalogDbContext db, Guid entryId, CancellationToken cancellationToken)
    {
        var rows = await db.Audit.AsNoTracking().Where(a => a.EntryId == entryId).OrderBy(a => a.Sequence).ToListAsync(cancellationToken);
        return rows.Select(CatalogAuditView.From).ToList();
    }
}
