using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Tamper evidence (issue #15): each journal entry records its hash algorithm and the digests of the records its unit
/// of work wrote; global streams (their heads and entries); signed checkpoints. Existing entries keep a null algorithm
/// (the original SHA-256 format) and existing instances a null journal algorithm, so they keep verifying as written.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261207000020_Integrity")]
public sealed class M020_Integrity : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("Algorithm", T.Journal, maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<string>("Records", T.Journal, nullable: true);
        migrationBuilder.AddColumn<string>("JournalAlgorithm", T.Instances, maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<long>("CheckpointSequence", T.Instances, nullable: false, defaultValue: 0L);
        migrationBuilder.AddColumn<DateTime>("CheckpointAt", T.Instances, nullable: true);

        migrationBuilder.CreateTable(T.Streams, c => new
        {
            Stream = c.Column<string>(maxLength: 100, nullable: false),
            Sequence = c.Column<long>(nullable: false),
            HeadHash = c.Column<string>(maxLength: 64, nullable: false),
            Algorithm = c.Column<string>(maxLength: 16, nullable: false),
            CheckpointSequence = c.Column<long>(nullable: false),
            CheckpointAt = c.Column<DateTime>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            UpdatedAt = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Streams, x => x.Stream));

        migrationBuilder.CreateTable(T.StreamEntries, c => new
        {
            Stream = c.Column<string>(maxLength: 100, nullable: false),
            Sequence = c.Column<long>(nullable: false),
            Timestamp = c.Column<DateTime>(nullable: false),
            Records = c.Column<string>(nullable: false),
            Algorithm = c.Column<string>(maxLength: 16, nullable: false),
            PreviousHash = c.Column<string>(maxLength: 64, nullable: false),
            Hash = c.Column<string>(maxLength: 64, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.StreamEntries, x => new { x.Stream, x.Sequence }));

        migrationBuilder.CreateTable(T.Checkpoints, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            Stream = c.Column<string>(maxLength: 100, nullable: false),
            Sequence = c.Column<long>(nullable: false),
            HeadHash = c.Column<string>(maxLength: 64, nullable: false),
            HashAlgorithm = c.Column<string>(maxLength: 16, nullable: false),
            SignatureAlgorithm = c.Column<string>(maxLength: 16, nullable: false),
            KeyId = c.Column<string>(maxLength: 32, nullable: false),
            SignedAt = c.Column<DateTime>(nullable: false),
            Signature = c.Column<string>(nullable: false),
            Reason = c.Column<string>(maxLength: 16, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Checkpoints, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_checkpoints_Stream_Sequence", T.Checkpoints, ["Stream", "Sequence"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(T.Checkpoints);
        migrationBuilder.DropTable(T.StreamEntries);
        migrationBuilder.DropTable(T.Streams);
        // Raw: EF's SQLite generator refuses DropColumn without a model to rebuild the table from; SQLite ≥ 3.35 and
        // PostgreSQL both drop a column in place.
        foreach (var (table, column) in new[]
                 {
                     (T.Instances, "CheckpointAt"), (T.Instances, "CheckpointSequence"), (T.Instances, "JournalAlgorithm"), (T.Journal, "Records"),
                     (T.Journal, "Algorithm"),
                 })
            migrationBuilder.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\"");
    }
}
