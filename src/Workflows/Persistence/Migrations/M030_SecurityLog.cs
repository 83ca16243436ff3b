using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// The security audit log (issue #14). Its order is an explicit sequence the database assigns on insert: AUTOINCREMENT on
/// SQLite (never reuses a value, unlike a bare rowid) and an identity column on PostgreSQL.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261207000030_SecurityLog")]
public sealed class M030_SecurityLog : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.SecurityLog, c => new
        {
            Sequence = c.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            RecordId = c.Column<Guid>(nullable: false),
            At = c.Column<DateTime>(nullable: false),
            Kind = c.Column<string>(maxLength: 64, nullable: false),
            Result = c.Column<string>(maxLength: 16, nullable: false),
            Actor = c.Column<string>(maxLength: 100, nullable: true),
            SourceAddress = c.Column<string>(maxLength: 64, nullable: true),
            Object = c.Column<string>(maxLength: 200, nullable: true),
            Detail = c.Column<string>(maxLength: 1000, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.SecurityLog, x => x.Sequence));
        migrationBuilder.CreateIndex("IX_wf_security_log_RecordId", T.SecurityLog, "RecordId", unique: true);
        migrationBuilder.CreateIndex("IX_wf_security_log_At", T.SecurityLog, "At");
        migrationBuilder.CreateIndex("IX_wf_security_log_Actor_At", T.SecurityLog, ["Actor", "At"]);
        migrationBuilder.CreateIndex("IX_wf_security_log_Kind_At", T.SecurityLog, ["Kind", "At"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(T.SecurityLog);
}
