using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// The labels that tell cases apart in every list (issue #18): the 业务编号 and a one-line summary on the instance, copied
/// with the applicant unit's name onto each task so that the inbox searches them on the rows its indexes already
/// narrowed to one user; the 业务编号 sequences per prefix and year. Cases from before keep no number.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261207000050_CaseLabels")]
public sealed class M050_CaseLabels : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("BusinessNumber", T.Instances, maxLength: Tasks.BusinessNumbers.MaxLength, nullable: true);
        migrationBuilder.AddColumn<string>("Summary", T.Instances, maxLength: Tasks.CaseSummaries.MaxLength, nullable: true);
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.InstancesByBusinessNumber, T.Instances, "BusinessNumber", unique: true);
        migrationBuilder.AddColumn<string>("BusinessNumber", T.Tasks, maxLength: Tasks.BusinessNumbers.MaxLength, nullable: true);
        migrationBuilder.AddColumn<string>("ApplicantOrgUnitName", T.Tasks, maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<string>("Summary", T.Tasks, maxLength: Tasks.CaseSummaries.MaxLength, nullable: true);
        migrationBuilder.CreateTable(T.BusinessNumbers, c => new
        {
            Prefix = c.Column<string>(maxLength: Tasks.BusinessNumbers.MaxPrefixLength, nullable: false),
            Year = c.Column<int>(nullable: false),
            LastValue = c.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.BusinessNumbers, x => new { x.Prefix, x.Year }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(T.BusinessNumbers);
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.InstancesByBusinessNumber, T.Instances);
        foreach (var (table, column) in new[]
                 {
                     (T.Tasks, "Summary"), (T.Tasks, "ApplicantOrgUnitName"), (T.Tasks, "BusinessNumber"), (T.Instances, "Summary"), (T.Instances, "BusinessNumber"),
                 })
        {
            // EF Core's SQLite provider rebuilds a table to drop a column, which needs a model snapshot these hand-written
            // migrations do not have; SQLite (3.35 and later) drops an unindexed column itself.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
                migrationBuilder.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{column}\"");
            else
                migrationBuilder.DropColumn(column, table);
        }
    }
}
