using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Notifications;

/// <summary>The notifications' table (<c>ntf_notifications</c>) on the product's database; migrations in <c>Migrations/</c>.</summary>
public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : DbContext(options)
{
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseUtcDateTimes();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<NotificationRecord>(e =>
    {
        e.ToTable(Tables.Notifications);
        e.HasKey(x => x.Id);
        e.Property(x => x.MessageKey).HasMaxLength(400);
        e.Property(x => x.UserId).HasMaxLength(100);
        e.Property(x => x.Type).HasMaxLength(64);
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.EmailStatus).HasMaxLength(32);
        e.Property(x => x.SmsStatus).HasMaxLength(32);
        e.HasIndex(x => x.MessageKey).IsUnique();
        e.HasIndex(x => new { x.UserId, x.CreatedAt });
        e.HasIndex(x => new { x.UserId, x.ReadAt });
    });

    internal static class Tables
    {
        public const string Notifications = "ntf_notifications";
        public const string MigrationsHistory = "__notification_migrations";
    }
}
