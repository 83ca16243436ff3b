using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>常用语: each user's own list of common opinion phrases (issue #18); a user without one gets the defaults.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261207000051_UserPhrases")]
public sealed class M051_UserPhrases : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(T.UserPhrases, c => new
        {
            UserId = c.Column<string>(maxLength: 100, nullable: false),
            Position = c.Column<int>(nullable: false),
            Text = c.Column<string>(maxLength: Tasks.UserPhrases.MaxLength, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.UserPhrases, x => new { x.UserId, x.Position }));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(T.UserPhrases);
}
