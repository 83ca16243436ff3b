using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>
/// The data exchange's tables (<c>exc_*</c>) on the product's database, from the hand-written migrations in
/// <c>Migrations/</c>, recorded in <c>__exchange_migrations</c>. Created by <see cref="ExchangeDatabase"/>.
/// </summary>
public sealed class ExchangeDbContext(DbContextOptions<ExchangeDbContext> options) : DbContext(options)
{
    public DbSet<ExchangeRun> Runs => Set<ExchangeRun>();
    public DbSet<ExchangeRunFile> Files => Set<ExchangeRunFile>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseUtcDateTimes();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ExchangeRun>(e =>
        {
            e.ToTable(Tables.Runs);
            e.HasKey(x => x.Id);
            e.Property(x => x.ExecutionKey).HasMaxLength(300);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ResourceCode).HasMaxLength(64);
            e.Property(x => x.ResourceName).HasMaxLength(200);
            e.Property(x => x.ProviderOrgUnitId).HasMaxLength(100);
            e.Property(x => x.ConsumerOrgUnitId).HasMaxLength(100);
            e.Property(x => x.TargetOrgUnitId).HasMaxLength(100);
            e.Property(x => x.TargetLevel).HasMaxLength(16);
            e.Property(x => x.Mode).HasMaxLength(16);
            e.Property(x => x.Source).HasMaxLength(400);
            e.Property(x => x.Target).HasMaxLength(400);
            e.Property(x => x.SourceChecksum).HasMaxLength(64);
            e.Property(x => x.Checksum).HasMaxLength(64);
            e.HasIndex(x => x.ExecutionKey).IsUnique();
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => new { x.ProviderOrgUnitId, x.StartedAt });
            e.HasIndex(x => new { x.ConsumerOrgUnitId, x.StartedAt });
        });
        modelBuilder.Entity<ExchangeRunFile>(e =>
        {
            e.ToTable(Tables.Files);
            e.HasKey(x => new { x.RunId, x.Path });
            e.Property(x => x.Path).HasMaxLength(400);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.HasOne<ExchangeRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    internal static class Tables
    {
        public const string Runs = "exc_runs";
        public const string Files = "exc_files";
        public const string MigrationsHistory = "__exchange_migrations";
    }
}
