using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Issue #18, the bureau's and the workflow admin's side: the instant a case was submitted (when it got its 业务编号), which
/// the statistics count cases received by, and the release note a workflow admin writes when publishing a version. Cases
/// numbered before take the instant their number was journaled; cases from before numbering keep none.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261208000061_SubmissionAndReleaseNotes")]
public sealed class M061_SubmissionAndReleaseNotes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>("SubmittedAt", T.Instances, nullable: true);
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.InstancesBySubmission, T.Instances, "SubmittedAt");
        migrationBuilder.AddColumn<string>("ReleaseNote", T.Definitions, maxLength: Definitions.WorkflowDefinitionStore.MaxReleaseNoteLength, nullable: true);
        migrationBuilder.Sql(
            $"UPDATE \"{T.Instances}\" SET \"SubmittedAt\" = COALESCE((SELECT MIN(j.\"Timestamp\") FROM \"{T.Journal}\" j " +
            $"WHERE j.\"InstanceId\" = \"{T.Instances}\".\"Id\" AND j.\"EventName\" = 'Note' AND j.\"Message\" LIKE '业务编号：%'), \"CreatedAt\") " +
            "WHERE \"BusinessNumber\" IS NOT NULL");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.InstancesBySubmission, T.Instances);
        foreach (var (table, column) in new[] { (T.Definitions, "ReleaseNote"), (T.Instances, "SubmittedAt") })
        {
            // As M050: EF's SQLite provider would rebuild the table from a model snapshot these migrations do not have.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
                migrationBuilder.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\"");
            else
                migrationBuilder.DropColumn(column, table);
        }
    }
}
