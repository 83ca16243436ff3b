using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>The engine's tables. The schema comes from the hand-written migrations in <c>Migrations/</c>.</summary>
public sealed class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options)
{
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    public DbSet<JournalRecord> Journal => Set<JournalRecord>();
    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();
    public DbSet<OutboxRecord> Outbox => Set<OutboxRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionRecord>(e =>
        {
            e.ToTable(Tables.Definitions);
            e.HasKey(x => x.Id);
            e.Property(x => x.DefinitionId).HasMaxLength(200);
            e.Property(x => x.Name).HasMaxLength(400);
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.Source).HasMaxLength(400);
            e.Property(x => x.CreatedBy).HasMaxLength(200);
            e.Property(x => x.PublishedBy).HasMaxLength(200);
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique();
        });
        modelBuilder.Entity<InstanceRecord>(e =>
        {
            e.ToTable(Tables.Instances);
            e.HasKey(x => x.Id);
            e.Property(x => x.DefinitionId).HasMaxLength(200);
            e.Property(x => x.Status).HasMaxLength(32);
            e.Property(x => x.CorrelationId).HasMaxLength(200);
            e.Property(x => x.Initiator).HasMaxLength(200);
            e.Property(x => x.JournalHeadHash).HasMaxLength(64);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.DefinitionId, x.Status });
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => x.ParentInstanceId);
        });
        modelBuilder.Entity<BookmarkRecord>(e =>
        {
            e.ToTable(Tables.Bookmarks);
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.CorrelationKey).HasMaxLength(400);
            e.Property(x => x.Status).HasMaxLength(32);
            e.Property(x => x.ClosedBy).HasMaxLength(200);
            e.HasIndex(x => new { x.InstanceId, x.Status });
            e.HasIndex(x => new { x.Name, x.CorrelationKey, x.Status });
            e.HasIndex(x => new { x.Status, x.DueAt });
        });
        modelBuilder.Entity<JournalRecord>(e =>
        {
            e.ToTable(Tables.Journal);
            e.HasKey(x => new { x.InstanceId, x.Sequence });
            e.Property(x => x.EventName).HasMaxLength(64);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.ActivityType).HasMaxLength(200);
            e.Property(x => x.Outcome).HasMaxLength(400);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<IncidentRecord>(e =>
        {
            e.ToTable(Tables.Incidents);
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.ActivityType).HasMaxLength(200);
            e.Property(x => x.ErrorType).HasMaxLength(400);
            e.Property(x => x.Status).HasMaxLength(32);
            e.Property(x => x.ResolvedBy).HasMaxLength(200);
            e.HasIndex(x => new { x.InstanceId, x.Status });
        });
        modelBuilder.Entity<OutboxRecord>(e =>
        {
            e.ToTable(Tables.Outbox);
            e.HasKey(x => x.Id);
            e.Property(x => x.Type).HasMaxLength(200);
            e.Property(x => x.Key).HasMaxLength(400);
            e.HasIndex(x => x.Key).IsUnique();
            e.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
        });
    }

    internal static class Tables
    {
        public const string Definitions = "wf_definitions";
        public const string Instances = "wf_instances";
        public const string Bookmarks = "wf_bookmarks";
        public const string Journal = "wf_journal";
        public const string Incidents = "wf_incidents";
        public const string Outbox = "wf_outbox";
    }

    /// <summary>SQLite reads times back with an unspecified kind; every time in the engine is UTC.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
