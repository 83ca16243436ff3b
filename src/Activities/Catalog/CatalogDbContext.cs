using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// The catalog's tables (<c>cat_*</c>) on the product's database. The schema comes from the hand-written migrations in
/// <c>Migrations/</c>, recorded in <c>__catalog_migrations</c>. Create one with <see cref="CatalogDatabase"/>: on its own
/// connection, or joined to an engine unit of work (a burst) so that its changes commit or roll back with it.
/// </summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<CatalogEntry> Entries => Set<CatalogEntry>();
    public DbSet<CatalogVersion> Versions => Set<CatalogVersion>();
    public DbSet<CatalogMount> Mounts => Set<CatalogMount>();
    public DbSet<CatalogAuditRecord> Audit => Set<CatalogAuditRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseUtcDateTimes();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CatalogEntry>(e =>
        {
            e.ToTable(Tables.Entries);
            e.HasKey(x => x.Id);
            e.Property(x => x.ResourceCode).HasMaxLength(64);
            e.Property(x => x.ProviderOrgUnitId).HasMaxLength(100);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Property(x => x.SourceLevel).HasMaxLength(16);
            e.Property(x => x.SourceDepartment).HasMaxLength(200);
            e.Property(x => x.SourceResourceCode).HasMaxLength(64);
            e.Property(x => x.SourceRequest).HasMaxLength(100);
            e.Ignore(x => x.Source);
            e.HasIndex(x => x.ResourceCode).IsUnique();
            e.HasIndex(x => x.ProviderOrgUnitId);
            e.HasIndex(x => new { x.SourceLevel, x.SourceResourceCode });
        });
        modelBuilder.Entity<CatalogVersion>(e =>
        {
            e.ToTable(Tables.Versions);
            e.HasKey(x => x.Id);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ResourceName).HasMaxLength(200);
            e.Property(x => x.ResourceCode).HasMaxLength(64);
            e.Property(x => x.ClassificationCode).HasMaxLength(32);
            e.Property(x => x.FormatCategory).HasMaxLength(32);
            e.Property(x => x.UpdateCycle).HasMaxLength(16);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.Property(x => x.UpdatedBy).HasMaxLength(100);
            e.Property(x => x.StatusChangedBy).HasMaxLength(100);
            e.Property(x => x.PublishedBy).HasMaxLength(100);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<CatalogEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.EntryId, x.Number }).IsUnique();
            e.HasIndex(x => x.EntryId, Indexes.OneOpenVersion).HasFilter(Indexes.OpenFilter).IsUnique();
            e.HasIndex(x => x.EntryId, Indexes.OnePublishedVersion).HasFilter(Indexes.PublishedFilter).IsUnique();
            e.HasIndex(x => new { x.Status, x.ClassificationCode });
            e.HasIndex(x => new { x.Status, x.UpdateDueAt });
        });
        modelBuilder.Entity<CatalogMount>(e =>
        {
            e.ToTable(Tables.Mounts);
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Target).HasMaxLength(400);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(200);
            e.Property(x => x.MountedBy).HasMaxLength(100);
            e.Property(x => x.RemovedBy).HasMaxLength(100);
            e.HasOne<CatalogEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.EntryId);
        });
        modelBuilder.Entity<CatalogAuditRecord>(e =>
        {
            e.ToTable(Tables.Audit);
            e.HasKey(x => x.Id);
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.FromStatus).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ToStatus).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.HasOne<CatalogEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.EntryId, x.Sequence }).IsUnique();
            e.HasIndex(x => x.InstanceId);
        });
    }

    internal static class Tables
    {
        public const string Entries = "cat_entries";
        public const string Versions = "cat_versions";
        public const string Mounts = "cat_mounts";
        public const string Audit = "cat_audit";
        public const string MigrationsHistory = "__catalog_migrations";
    }

    /// <summary>
    /// Partial unique indexes keep at most one version of an entry in progress and one published, whatever two users do at
    /// once. The filters are written in SQL both SQLite and PostgreSQL read.
    /// </summary>
    internal static class Indexes
    {
        public const string OneOpenVersion = "IX_cat_versions_EntryId_Open";
        public const string OnePublishedVersion = "IX_cat_versions_EntryId_Published";
        public const string OpenFilter = "\"Status\" IN ('Draft', 'InReview', 'Registered', 'Returned')";
        public const string PublishedFilter = "\"Status\" = 'Published'";
    }
}
