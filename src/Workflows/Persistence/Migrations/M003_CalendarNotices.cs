using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000003_CalendarNotices")]
public sealed class M003_CalendarNotices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(T.CalendarNotices, c => new
        {
            Year = c.Column<int>(nullable: false),
            NoticeNumber = c.Column<string>(maxLength: 100, nullable: false),
            Json = c.Column<string>(nullable: false),
            LoadedAt = c.Column<DateTime>(nullable: false),
            LoadedBy = c.Column<string>(maxLength: 100, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.CalendarNotices, x => x.Year));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(T.CalendarNotices);
}
