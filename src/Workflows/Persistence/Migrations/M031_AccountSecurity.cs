using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Sessions revocable on the server (a security stamp per user), password age and forced change, progressive lockout, the
/// second factor, and the password history (issue #14).
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261207000031_AccountSecurity")]
public sealed class M031_AccountSecurity : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>("Lockouts", T.Users, nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<string>("SecurityStamp", T.Users, maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<DateTime>("PasswordChangedAt", T.Users, nullable: true);
        // Existing passwords get their full age from the upgrade, not an expiry the moment it runs.
        migrationBuilder.Sql($"UPDATE \"{T.Users}\" SET \"PasswordChangedAt\" = CURRENT_TIMESTAMP WHERE \"PasswordHash\" IS NOT NULL");
        migrationBuilder.AddColumn<bool>("MustChangePassword", T.Users, nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>("TotpSecret", T.Users, maxLength: 1000, nullable: true);
        migrationBuilder.AddColumn<DateTime>("TotpEnabledAt", T.Users, nullable: true);
        migrationBuilder.AddColumn<long>("TotpLastStep", T.Users, nullable: true);
        migrationBuilder.CreateTable(T.PasswordHistory, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            UserId = c.Column<string>(maxLength: 100, nullable: false),
            PasswordHash = c.Column<string>(maxLength: 400, nullable: false),
            ChangedAt = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.PasswordHistory, x => x.Id));
        migrationBuilder.CreateIndex("IX_org_password_history_UserId_ChangedAt", T.PasswordHistory, ["UserId", "ChangedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(T.PasswordHistory);
        // Plain SQL: EF's SQLite generator refuses DropColumn, while SQLite (3.35+) and PostgreSQL both drop an unindexed column.
        foreach (var column in new[] { "TotpLastStep", "TotpEnabledAt", "TotpSecret", "MustChangePassword", "PasswordChangedAt", "SecurityStamp", "Lockouts" })
            migrationBuilder.Sql($"ALTER TABLE \"{T.Users}\" DROP COLUMN \"{column}\"");
    }
}
