using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Written by hand (the EF design-time tools cannot be restored here). Column types are left to each provider's
/// mapping of the CLR type, so the one migration serves SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000001_EngineSchema")]
public sealed class M001_EngineSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.Definitions, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            DefinitionId = c.Column<string>(maxLength: 200, nullable: false),
            Version = c.Column<int>(nullable: false),
            Name = c.Column<string>(maxLength: 400, nullable: true),
            Description = c.Column<string>(nullable: true),
            IsLatest = c.Column<bool>(nullable: false),
            IsPublished = c.Column<bool>(nullable: false),
            Json = c.Column<string>(nullable: false),
            ContentHash = c.Column<string>(maxLength: 64, nullable: false),
            Source = c.Column<string>(maxLength: 400, nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            CreatedBy = c.Column<string>(maxLength: 200, nullable: true),
            PublishedAt = c.Column<DateTime>(nullable: true),
            PublishedBy = c.Column<string>(maxLength: 200, nullable: true),
            RetractedAt = c.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Definitions, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_definitions_DefinitionId_Version", T.Definitions, ["DefinitionId", "Version"], unique: true);

        migrationBuilder.CreateTable(T.Instances, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            DefinitionId = c.Column<string>(maxLength: 200, nullable: false),
            DefinitionVersionId = c.Column<Guid>(nullable: false),
            DefinitionVersion = c.Column<int>(nullable: false),
            Status = c.Column<string>(maxLength: 32, nullable: false),
            CorrelationId = c.Column<string>(maxLength: 200, nullable: true),
            Initiator = c.Column<string>(maxLength: 200, nullable: true),
            ParentInstanceId = c.Column<Guid>(nullable: true),
            ParentBookmarkId = c.Column<Guid>(nullable: true),
            StateJson = c.Column<string>(nullable: false),
            FaultMessage = c.Column<string>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            UpdatedAt = c.Column<DateTime>(nullable: false),
            FinishedAt = c.Column<DateTime>(nullable: true),
            JournalSequence = c.Column<long>(nullable: false),
            JournalHeadHash = c.Column<string>(maxLength: 64, nullable: false),
            Revision = c.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Instances, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_instances_DefinitionId_Status", T.Instances, ["DefinitionId", "Status"]);
        migrationBuilder.CreateIndex("IX_wf_instances_CorrelationId", T.Instances, "CorrelationId");
        migrationBuilder.CreateIndex("IX_wf_instances_ParentInstanceId", T.Instances, "ParentInstanceId");

        migrationBuilder.CreateTable(T.Bookmarks, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            ActivityId = c.Column<string>(maxLength: 200, nullable: false),
            ActivityExecutionId = c.Column<Guid>(nullable: false),
            Name = c.Column<string>(maxLength: 200, nullable: false),
            CorrelationKey = c.Column<string>(maxLength: 400, nullable: true),
            PayloadJson = c.Column<string>(nullable: true),
            DueAt = c.Column<DateTime>(nullable: true),
            Attempt = c.Column<int>(nullable: false),
            Status = c.Column<string>(maxLength: 32, nullable: false),
            CreatedAt = c.Column<DateTime>(nullable: false),
            ClosedAt = c.Column<DateTime>(nullable: true),
            ClosedBy = c.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Bookmarks, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_bookmarks_InstanceId_Status", T.Bookmarks, ["InstanceId", "Status"]);
        migrationBuilder.CreateIndex("IX_wf_bookmarks_Name_CorrelationKey_Status", T.Bookmarks, ["Name", "CorrelationKey", "Status"]);
        migrationBuilder.CreateIndex("IX_wf_bookmarks_Status_DueAt", T.Bookmarks, ["Status", "DueAt"]);

        migrationBuilder.CreateTable(T.Journal, c => new
        {
            InstanceId = c.Column<Guid>(nullable: false),
            Sequence = c.Column<long>(nullable: false),
            Timestamp = c.Column<DateTime>(nullable: false),
            EventName = c.Column<string>(maxLength: 64, nullable: false),
            ActivityId = c.Column<string>(maxLength: 200, nullable: true),
            ActivityType = c.Column<string>(maxLength: 200, nullable: true),
            ActivityExecutionId = c.Column<Guid>(nullable: true),
            Outcome = c.Column<string>(maxLength: 400, nullable: true),
            InputsJson = c.Column<string>(nullable: true),
            OutputsJson = c.Column<string>(nullable: true),
            Actor = c.Column<string>(maxLength: 200, nullable: true),
            Message = c.Column<string>(nullable: true),
            PreviousHash = c.Column<string>(maxLength: 64, nullable: false),
            Hash = c.Column<string>(maxLength: 64, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Journal, x => new { x.InstanceId, x.Sequence }));

        migrationBuilder.CreateTable(T.Incidents, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            ActivityId = c.Column<string>(maxLength: 200, nullable: false),
            ActivityType = c.Column<string>(maxLength: 200, nullable: false),
            ActivityExecutionId = c.Column<Guid>(nullable: false),
            Attempt = c.Column<int>(nullable: false),
            ErrorType = c.Column<string>(maxLength: 400, nullable: false),
            Message = c.Column<string>(nullable: false),
            Details = c.Column<string>(nullable: true),
            Status = c.Column<string>(maxLength: 32, nullable: false),
            RetryBookmarkId = c.Column<Guid>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            ResolvedAt = c.Column<DateTime>(nullable: true),
            ResolvedBy = c.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Incidents, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_incidents_InstanceId_Status", T.Incidents, ["InstanceId", "Status"]);

        migrationBuilder.CreateTable(T.Outbox, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: true),
            Type = c.Column<string>(maxLength: 200, nullable: false),
            Key = c.Column<string>(maxLength: 400, nullable: false),
            PayloadJson = c.Column<string>(nullable: false),
            CreatedAt = c.Column<DateTime>(nullable: false),
            Attempts = c.Column<int>(nullable: false),
            NextAttemptAt = c.Column<DateTime>(nullable: false),
            SentAt = c.Column<DateTime>(nullable: true),
            LastError = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Outbox, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_outbox_Key", T.Outbox, "Key", unique: true);
        migrationBuilder.CreateIndex("IX_wf_outbox_SentAt_NextAttemptAt", T.Outbox, ["SentAt", "NextAttemptAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { T.Outbox, T.Incidents, T.Journal, T.Bookmarks, T.Instances, T.Definitions })
            migrationBuilder.DropTable(table);
    }
}
