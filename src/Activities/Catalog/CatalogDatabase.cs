using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>The catalog's tables (cat_*): entries, versions, mounts and their audit.</summary>
public sealed class CatalogDatabase(IOptions<WorkflowDatabaseOptions> options) : ModuleDatabase<CatalogDbContext>(options)
{
    public override string Name => "catalog";

    protected override string MigrationsHistoryTable => CatalogDbContext.Tables.MigrationsHistory;

    protected override CatalogDbContext Create(DbContextOptions<CatalogDbContext> contextOptions) => new(contextOptions);
}
