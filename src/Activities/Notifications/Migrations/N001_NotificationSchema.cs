using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Activities.Notifications.NotificationDbContext.Tables;

namespace PdsWorkflow.Activities.Notifications.Migrations;

/// <summary>Written by hand, as the engine's and the catalog's; one migration serves SQLite and PostgreSQL.</summary>
[DbContext(typeof(NotificationDbContext))]
[Migration("20261124000001_NotificationSchema")]
public sealed class N001_NotificationSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.Notifications, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            MessageKey = c.Column<string>(maxLength: 400, nullable: false),
            UserId = c.Column<string>(maxLength: 100, nullable: false),
            Type = c.Column<string>(maxLength: 64, nullable: false),
            Title = c.Column<string>(maxLength: 300, nullable: false),
            Body = c.Column<string>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: true),
            TaskId = c.Column<Guid>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            ReadAt = c.Column<DateTime>(nullable: true),
            EmailStatus = c.Column<string>(maxLength: 32, nullable: true),
            SmsStatus = c.Column<string>(maxLength: 32, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Notifications, x => x.Id));
        migrationBuilder.CreateIndex("IX_ntf_notifications_MessageKey", T.Notifications, "MessageKey", unique: true);
        migrationBuilder.CreateIndex("IX_ntf_notifications_UserId_CreatedAt", T.Notifications, ["UserId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_ntf_notifications_UserId_ReadAt", T.Notifications, ["UserId", "ReadAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(T.Notifications);
}
