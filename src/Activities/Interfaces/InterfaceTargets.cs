using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Catalog;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>The catalog's interface mounts (资源挂接, kind Api) as the authorisations and the gateway see them.</summary>
internal static class InterfaceTargets
{
    /// <summary>The active interface mount <paramref name="mountId"/>, or null.</summary>
    public static async Task<InterfaceTarget?> FindAsync(CatalogDbContext catalog, Guid mountId, CancellationToken cancellationToken)
    {
        var row = await (from m in catalog.Mounts.AsNoTracking()
                         join e in catalog.Entries.AsNoTracking() on m.EntryId equals e.Id
                         where m.Id == mountId && m.Kind == CatalogMountKind.Api && m.RemovedAt == null
                         select new { m.Id, m.EntryId, m.Name, e.ProviderOrgUnitId, m.Target }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new InterfaceTarget(row.Id, row.EntryId, row.Name ?? "", row.ProviderOrgUnitId, row.Target);
    }

    /// <summary>The provider's active interface mounts named <paramref name="name"/> (the form names the interface, not the mount).</summary>
    public static async Task<IReadOnlyList<InterfaceTarget>> ByNameAsync(CatalogDbContext catalog, string providerOrgUnitId, string name, CancellationToken cancellationToken)
    {
        var rows = await (from m in catalog.Mounts.AsNoTracking()
                          join e in catalog.Entries.AsNoTracking() on m.EntryId equals e.Id
                          where e.ProviderOrgUnitId == providerOrgUnitId && m.Kind == CatalogMountKind.Api && m.RemovedAt == null && m.Name == name
                          select new { m.Id, m.EntryId, m.Name, e.ProviderOrgUnitId, m.Target }).ToListAsync(cancellationToken);
        return rows.Select(r => new InterfaceTarget(r.Id, r.EntryId, r.Name ?? "", r.ProviderOrgUnitId, r.Target)).ToList();
    }
}
