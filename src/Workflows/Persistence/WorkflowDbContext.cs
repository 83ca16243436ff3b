using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Persistence;

/// <summary>The engine's tables. The schema comes from the hand-written migrations in <c>Migrations/</c>.</summary>
public sealed partial class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options)
{
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    public DbSet<JournalRecord> Journal => Set<JournalRecord>();
    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();
    public DbSet<OutboxRecord> Outbox => Set<OutboxRecord>();
    public DbSet<OrgUnitRecord> OrgUnits => Set<OrgUnitRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<UserRoleRecord> UserRoles => Set<UserRoleRecord>();
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    public DbSet<TaskCandidateRecord> TaskCandidates => Set<TaskCandidateRecord>();
    public DbSet<TaskActionRecord> TaskActions => Set<TaskActionRecord>();
    public DbSet<CarbonCopyRecord> CarbonCopies => Set<CarbonCopyRecord>();
    public DbSet<AttachmentRecord> Attachments => Set<AttachmentRecord>();
    public DbSet<Calendar.NoticeRecord> CalendarNotices => Set<Calendar.NoticeRecord>();
    public DbSet<Audit.SecurityEventRecord> SecurityLog => Set<Audit.SecurityEventRecord>();
    public DbSet<PasswordHistoryRecord> PasswordHistory => Set<PasswordHistoryRecord>();
    public DbSet<Integrity.StreamRecord> Streams => Set<Integrity.StreamRecord>();
    public DbSet<Integrity.StreamEntryRecord> StreamEntries => Set<Integrity.StreamEntryRecord>();
    public DbSet<Integrity.CheckpointRecord> Checkpoints => Set<Integrity.CheckpointRecord>();

    /// <summary>
    /// Set on a context whose changes are never committed (a verification replay): its saves are not sealed, so the
    /// shadow instance writes neither record digests nor checkpoints (<see cref="Integrity.IntegritySeal"/>).
    /// </summary>
    internal bool SealSuspended { get; set; }

    /// <summary>The transaction the seal opened for a save made outside one, committed when that save succeeds.</summary>
    internal Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? SealTransaction { get; set; }
    public DbSet<BusinessNumberRecord> BusinessNumbers => Set<BusinessNumberRecord>();
    public DbSet<UserPhraseRecord> UserPhrases => Set<UserPhraseRecord>();

    /// <summary>The dialect of the server this context is on.</summary>
    public DatabaseDialect Dialect => DatabaseDialect.Of(Database);

    private readonly HashSet<Guid> _loadedInstances = [];
    private object? _loadedInTransaction;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseUtcDateTimes();

    /// <summary>
    /// True when the current transaction already locked <paramref name="instanceId"/> and loaded its open bookmarks
    /// (<see cref="MarkLocked"/>): the lock holds to the end of that transaction, so a second load may use the tracked rows.
    /// </summary>
    internal bool IsLocked(Guid instanceId) =>
        Database.CurrentTransaction is { } transaction && ReferenceEquals(transaction, _loadedInTransaction) && _loadedInstances.Contains(instanceId);

    internal void MarkLocked(Guid instanceId)
    {
        if (Database.CurrentTransaction is not { } transaction) return;
        if (!ReferenceEquals(transaction, _loadedInTransaction))
        {
            _loadedInTransaction = transaction;
            _loadedInstances.Clear();
        }

        _loadedInstances.Add(instanceId);
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
            e.Property(x => x.ReleaseNote).HasMaxLength(global::PdsWorkflow.Workflows.Definitions.WorkflowDefinitionStore.MaxReleaseNoteLength);
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
            e.Property(x => x.JournalAlgorithm).HasMaxLength(16);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.DefinitionId, x.Status });
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => x.ParentInstanceId);
            e.HasIndex(x => new { x.Initiator, x.CreatedAt }, Indexes.InstancesByInitiator);
            e.Property(x => x.BusinessNumber).HasMaxLength(global::PdsWorkflow.Workflows.Tasks.BusinessNumbers.MaxLength);
            e.Property(x => x.Summary).HasMaxLength(global::PdsWorkflow.Workflows.Tasks.CaseSummaries.MaxLength);
            e.HasIndex(x => x.BusinessNumber, Indexes.InstancesByBusinessNumber).IsUnique();
            e.HasIndex(x => x.SubmittedAt, Indexes.InstancesBySubmission);
        });
        modelBuilder.Entity<BusinessNumberRecord>(e =>
        {
            e.ToTable(Tables.BusinessNumbers);
            e.HasKey(x => new { x.Prefix, x.Year });
            e.Property(x => x.Prefix).HasMaxLength(global::PdsWorkflow.Workflows.Tasks.BusinessNumbers.MaxPrefixLength);
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
            e.Property(x => x.Algorithm).HasMaxLength(16);
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
            e.HasIndex(x => x.DeadAt);
        });
        ConfigureOrganization(modelBuilder);
        ConfigureTasks(modelBuilder);
        modelBuilder.Entity<Audit.SecurityEventRecord>(e =>
        {
            e.ToTable(Tables.SecurityLog);
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.Result).HasMaxLength(16);
            e.Property(x => x.Actor).HasMaxLength(Audit.SecurityLog.MaxActor);
            e.Property(x => x.SourceAddress).HasMaxLength(Audit.SecurityLog.MaxSource);
            e.Property(x => x.Object).HasMaxLength(Audit.SecurityLog.MaxObject);
            e.Property(x => x.Detail).HasMaxLength(Audit.SecurityLog.MaxDetail);
            e.HasIndex(x => x.RecordId).IsUnique();
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.Actor, x.At });
            e.HasIndex(x => new { x.Kind, x.At });
        });
        ConfigureIntegrity(modelBuilder);
        modelBuilder.Entity<Calendar.NoticeRecord>(e =>
        {
            e.ToTable(Tables.CalendarNotices);
            e.HasKey(x => x.Year);
            e.Property(x => x.Year).ValueGeneratedNever();
            e.Property(x => x.NoticeNumber).HasMaxLength(100);
            e.Property(x => x.LoadedBy).HasMaxLength(100);
        });
    }

    private static void ConfigureOrganization(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrgUnitRecord>(e =>
        {
            e.ToTable(Tables.OrgUnits);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.ParentId).HasMaxLength(100);
            e.Property(x => x.RegionCode).HasMaxLength(12);
            e.Property(x => x.RegionName).HasMaxLength(100);
            e.Property(x => x.CreditCode).HasMaxLength(18);
            e.HasIndex(x => new { x.RegionCode, x.Kind });
        });
        modelBuilder.Entity<UserRecord>(e =>
        {
            e.ToTable(Tables.Users);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(100);
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.OrgUnitId).HasMaxLength(100);
            e.Property(x => x.Title).HasMaxLength(100);
            e.Property(x => x.Phone).HasMaxLength(40);
            e.Property(x => x.Email).HasMaxLength(200);
            e.Property(x => x.PasswordHash).HasMaxLength(400);
            e.Property(x => x.SecurityStamp).HasMaxLength(64);
            e.Property(x => x.TotpSecret).HasMaxLength(1000);
            e.HasIndex(x => x.OrgUnitId);
        });
        modelBuilder.Entity<PasswordHistoryRecord>(e =>
        {
            e.ToTable(Tables.PasswordHistory);
            e.HasKey(x => x.Id);
            e.Property(x => x.UserId).HasMaxLength(100);
            e.Property(x => x.PasswordHash).HasMaxLength(400);
            e.HasIndex(x => new { x.UserId, x.ChangedAt });
        });
        modelBuilder.Entity<UserRoleRecord>(e =>
        {
            e.ToTable(Tables.UserRoles);
            e.HasKey(x => new { x.UserId, x.Role, x.OrgUnitId });
            e.Property(x => x.UserId).HasMaxLength(100);
            e.Property(x => x.Role).HasMaxLength(64);
            e.Property(x => x.OrgUnitId).HasMaxLength(100);
            e.HasIndex(x => new { x.Role, x.OrgUnitId });
        });
    }

    private static void ConfigureTasks(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TaskRecord>(e =>
        {
            e.ToTable(Tables.Tasks);
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.DefinitionId).HasMaxLength(200);
            e.Property(x => x.ProcessName).HasMaxLength(400);
            e.Property(x => x.Title).HasMaxLength(400);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.SignerKind).HasMaxLength(16);
            e.Property(x => x.ApprovalMode).HasMaxLength(16);
            e.Property(x => x.AssigneeId).HasMaxLength(100);
            e.Property(x => x.OwnerId).HasMaxLength(100);
            e.Property(x => x.DelegationState).HasMaxLength(16);
            e.Property(x => x.OrgUnitId).HasMaxLength(100);
            e.Property(x => x.InitiatorId).HasMaxLength(100);
            e.Property(x => x.ApplicantOrgUnitId).HasMaxLength(100);
            e.Property(x => x.Vote).HasMaxLength(16);
            e.Property(x => x.Outcome).HasMaxLength(100);
            e.Property(x => x.CompletedBy).HasMaxLength(100);
            e.Property(x => x.FormId).HasMaxLength(100);
            e.Property(x => x.AssignmentNote).HasMaxLength(400);
            e.Property(x => x.BusinessNumber).HasMaxLength(global::PdsWorkflow.Workflows.Tasks.BusinessNumbers.MaxLength);
            e.Property(x => x.ApplicantOrgUnitName).HasMaxLength(200);
            e.Property(x => x.Summary).HasMaxLength(global::PdsWorkflow.Workflows.Tasks.CaseSummaries.MaxLength);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.AssigneeId, x.Status, x.DueAt }, Indexes.TasksByAssignee).HasFilter(Indexes.AssignedFilter);
            e.HasIndex(x => x.Id, Indexes.ClaimableTasks).HasFilter(Indexes.ClaimableFilter).IsUnique();
            e.HasIndex(x => new { x.Status, x.DueAt });
            e.HasIndex(x => new { x.InstanceId, x.Status });
            e.HasIndex(x => new { x.CompletedBy, x.CompletedAt });
            e.HasIndex(x => new { x.OrgUnitId, x.Status, x.DueAt });
            e.HasIndex(x => x.BookmarkId);
            e.HasIndex(x => x.ActivityExecutionId, Indexes.TasksByExecution);
            e.HasIndex(x => x.AnchorTaskId, Indexes.SignersByAnchor).HasFilter(Indexes.SignerFilter);
            e.Property(x => x.ProvisionalYears).HasMaxLength(100);
            e.HasIndex(x => x.ProvisionalYears);
        });
        modelBuilder.Entity<TaskCandidateRecord>(e =>
        {
            e.ToTable(Tables.TaskCandidates);
            e.HasKey(x => new { x.TaskId, x.UserId });
            e.Property(x => x.UserId).HasMaxLength(100);
            e.HasIndex(x => new { x.UserId, x.TaskId });
        });
        modelBuilder.Entity<TaskActionRecord>(e =>
        {
            e.ToTable(Tables.TaskActions);
            e.HasKey(x => x.Id);
            e.Property(x => x.Action).HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.HasIndex(x => new { x.InstanceId, x.At });
            e.HasIndex(x => new { x.Actor, x.At });
            e.HasIndex(x => x.TaskId);
        });
        modelBuilder.Entity<CarbonCopyRecord>(e =>
        {
            e.ToTable(Tables.CarbonCopies);
            e.HasKey(x => x.Id);
            e.Property(x => x.UserId).HasMaxLength(100);
            e.Property(x => x.CopiedBy).HasMaxLength(100);
            e.HasIndex(x => new { x.UserId, x.ReadAt });
            e.HasIndex(x => x.InstanceId);
        });
        modelBuilder.Entity<UserPhraseRecord>(e =>
        {
            e.ToTable(Tables.UserPhrases);
            e.HasKey(x => new { x.UserId, x.Position });
            e.Property(x => x.UserId).HasMaxLength(100);
            e.Property(x => x.Text).HasMaxLength(global::PdsWorkflow.Workflows.Tasks.UserPhrases.MaxLength);
        });
        modelBuilder.Entity<AttachmentRecord>(e =>
        {
            e.ToTable(Tables.Attachments);
            e.HasKey(x => x.Id);
            e.Property(x => x.FileName).HasMaxLength(400);
            e.Property(x => x.ContentType).HasMaxLength(200);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.UploadedBy).HasMaxLength(100);
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.Sha256, Indexes.AttachmentsByContent);
        });
    }

    private static void ConfigureIntegrity(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Integrity.StreamRecord>(e =>
        {
            e.ToTable(Tables.Streams);
            e.HasKey(x => x.Stream);
            e.Property(x => x.Stream).HasMaxLength(100);
            e.Property(x => x.HeadHash).HasMaxLength(64);
            e.Property(x => x.Algorithm).HasMaxLength(16);
        });
        modelBuilder.Entity<Integrity.StreamEntryRecord>(e =>
        {
            e.ToTable(Tables.StreamEntries);
            e.HasKey(x => new { x.Stream, x.Sequence });
            e.Property(x => x.Stream).HasMaxLength(100);
            e.Property(x => x.Algorithm).HasMaxLength(16);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<Integrity.CheckpointRecord>(e =>
        {
            e.ToTable(Tables.Checkpoints);
            e.HasKey(x => x.Id);
            e.Property(x => x.Stream).HasMaxLength(100);
            e.Property(x => x.HeadHash).HasMaxLength(64);
            e.Property(x => x.HashAlgorithm).HasMaxLength(16);
            e.Property(x => x.SignatureAlgorithm).HasMaxLength(16);
            e.Property(x => x.KeyId).HasMaxLength(32);
            e.Property(x => x.Reason).HasMaxLength(16);
            e.HasIndex(x => new { x.Stream, x.Sequence }).IsUnique();
        });
    }

    internal static class Indexes
    {
        public const string TasksByAssignee = "IX_wf_tasks_AssigneeId_Status_DueAt";
        public const string ClaimableTasks = "IX_wf_tasks_Claimable";
        public const string InstancesByInitiator = "IX_wf_instances_Initiator_CreatedAt";
        public const string InstancesByBusinessNumber = "IX_wf_instances_BusinessNumber";
        public const string TasksByExecution = "IX_wf_tasks_ActivityExecutionId";
        public const string SignersByAnchor = "IX_wf_tasks_AnchorTaskId";
        public const string AttachmentsByContent = "IX_wf_attachments_Sha256";

        /// <summary>Signer tasks only (加签, M060): the others have no anchor.</summary>
        public const string SignerFilter = "\"AnchorTaskId\" IS NOT NULL";
        public const string InstancesBySubmission = "IX_wf_instances_SubmittedAt";

        /// <summary>Assigned tasks only (M005): unclaimed pool tasks are found through their candidates.</summary>
        public const string AssignedFilter = "\"AssigneeId\" IS NOT NULL";

        /// <summary>
        /// Open pool tasks nobody has claimed: the claimable list checks its candidate rows here (M005). Unique (as the key
        /// is) so that SQLite also prefers it to the primary key on a database never analysed.
        /// </summary>
        public const string ClaimableFilter = "\"AssigneeId\" IS NULL AND \"Status\" = 'Open'";
    }

    internal static class Tables
    {
        public const string Definitions = "wf_definitions";
        public const string Instances = "wf_instances";
        public const string Bookmarks = "wf_bookmarks";
        public const string Journal = "wf_journal";
        public const string Incidents = "wf_incidents";
        public const string Outbox = "wf_outbox";
        public const string OrgUnits = "org_units";
        public const string Users = "org_users";
        public const string UserRoles = "org_user_roles";
        public const string Tasks = "wf_tasks";
        public const string TaskCandidates = "wf_task_candidates";
        public const string TaskActions = "wf_task_actions";
        public const string CarbonCopies = "wf_carbon_copies";
        public const string Attachments = "wf_attachments";
        public const string CalendarNotices = "cal_notices";
        public const string SecurityLog = "wf_security_log";
        public const string PasswordHistory = "org_password_history";
        public const string Streams = "wf_streams";
        public const string StreamEntries = "wf_stream_entries";
        public const string Checkpoints = "wf_checkpoints";
        public const string BusinessNumbers = "wf_business_numbers";
        public const string UserPhrases = "wf_user_phrases";
    }
}
