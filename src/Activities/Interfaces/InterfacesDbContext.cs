using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// The interfaces module's tables (<c>api_*</c>) on the product's database: applications, authorisations, the daily
/// call counts and the call log. The schema comes from the hand-written migrations in <c>Migrations/</c>, recorded in
/// <c>__interfaces_migrations</c>. Create one with <see cref="InterfacesDatabase"/>.
/// </summary>
public sealed class InterfacesDbContext(DbContextOptions<InterfacesDbContext> options) : DbContext(options)
{
    public DbSet<ApiApplication> Applications => Set<ApiApplication>();
    public DbSet<ApiAuthorization> Authorizations => Set<ApiAuthorization>();
    public DbSet<ApiDailyUsage> DailyUsage => Set<ApiDailyUsage>();
    public DbSet<ApiCall> Calls => Set<ApiCall>();
    public DbSet<ApiCallCounter> CallCounters => Set<ApiCallCounter>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseUtcDateTimes();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ApiApplication>(e =>
        {
            e.ToTable(Tables.Applications);
            e.HasKey(x => x.Id);
            e.Property(x => x.AppKey).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.OrgUnitId).HasMaxLength(100);
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            e.Property(x => x.IssuanceKey).HasMaxLength(200);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => x.AppKey).IsUnique();
            e.HasIndex(x => new { x.OrgUnitId, x.Name }).IsUnique();
        });
        modelBuilder.Entity<ApiAuthorization>(e =>
        {
            e.ToTable(Tables.Authorizations);
            e.HasKey(x => x.Id);
            e.Property(x => x.ExecutionKey).HasMaxLength(200);
            e.Property(x => x.InterfaceName).HasMaxLength(200);
            e.Property(x => x.ProviderOrgUnitId).HasMaxLength(100);
            e.Property(x => x.ConsumerOrgUnitId).HasMaxLength(100);
            e.Property(x => x.SystemName).HasMaxLength(100);
            e.Property(x => x.AllowedIps).HasMaxLength(1000);
            e.Property(x => x.UsageHours).HasMaxLength(50);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.StatusChangedBy).HasMaxLength(100);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Ignore(x => x.SeasonalWindows);
            e.Ignore(x => x.IsSeasonal);
            e.HasOne<ApiApplication>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.ExecutionKey).IsUnique();
            e.HasIndex(x => new { x.MountId, x.ApplicationId });
            e.HasIndex(x => new { x.Status, x.TermEnd });
        });
        modelBuilder.Entity<ApiDailyUsage>(e =>
        {
            e.ToTable(Tables.DailyUsage);
            e.HasKey(x => new { x.AuthorizationId, x.Day });
        });
        modelBuilder.Entity<ApiCall>(e =>
        {
            e.ToTable(Tables.Calls);
            e.HasKey(x => x.Id);
            e.Property(x => x.InterfaceCode).HasMaxLength(100);
            e.Property(x => x.ProviderOrgUnitId).HasMaxLength(100);
            e.Property(x => x.ConsumerOrgUnitId).HasMaxLength(100);
            e.Property(x => x.AppKey).HasMaxLength(64);
            e.Property(x => x.Method).HasMaxLength(16);
            e.Property(x => x.Path).HasMaxLength(1000);
            e.Property(x => x.SourceIp).HasMaxLength(64);
            e.Property(x => x.Refusal).HasMaxLength(64);
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.AuthorizationId, x.At });
        });
        modelBuilder.Entity<ApiCallCounter>(e =>
        {
            e.ToTable(Tables.CallCounters);
            e.HasKey(x => new { x.Day, x.Refusal, x.MountId });
            e.Property(x => x.Refusal).HasMaxLength(64);
            e.Property(x => x.ProviderOrgUnitId).HasMaxLength(100);
        });
    }

    internal static class Tables
    {
        public const string Applications = "api_applications";
        public const string Authorizations = "api_authorizations";
        public const string DailyUsage = "api_daily_usage";
        public const string Calls = "api_calls";
        public const string CallCounters = "api_call_counters";
        public const string MigrationsHistory = "__interfaces_migrations";
    }
}
