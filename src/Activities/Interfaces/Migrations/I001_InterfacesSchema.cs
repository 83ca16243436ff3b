using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Activities.Interfaces.InterfacesDbContext.Tables;

namespace PdsWorkflow.Activities.Interfaces.Migrations;

/// <summary>Written by hand, as the catalog's; column types are each provider's mapping of the CLR type.</summary>
[DbContext(typeof(InterfacesDbContext))]
[Migration("20261201000001_InterfacesSchema")]
public sealed class I001_InterfacesSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.Applications, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            AppKey = c.Column<string>(maxLength: 64, nullable: false),
            Name = c.Column<string>(maxLength: 100, nullable: false),
            OrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            SecretHash = c.Column<string>(maxLength: 64, nullable: false),
            SecretVersion = c.Column<int>(nullable: false),
            CreatedAt = c.Column<DateTime>(nullable: false),
            CreatedBy = c.Column<string>(maxLength: 100, nullable: false),
            SecretRotatedAt = c.Column<DateTime>(nullable: true),
            IssuanceKey = c.Column<string>(maxLength: 200, nullable: true),
            Revision = c.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Applications, x => x.Id));
        migrationBuilder.CreateIndex("IX_api_applications_AppKey", T.Applications, "AppKey", unique: true);
        migrationBuilder.CreateIndex("IX_api_applications_OrgUnitId_Name", T.Applications, ["OrgUnitId", "Name"], unique: true);

        migrationBuilder.CreateTable(T.Authorizations, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            ExecutionKey = c.Column<string>(maxLength: 200, nullable: false),
            InstanceId = c.Column<Guid>(nullable: true),
            MountId = c.Column<Guid>(nullable: false),
            CatalogEntryId = c.Column<Guid>(nullable: false),
            InterfaceName = c.Column<string>(maxLength: 200, nullable: false),
            ProviderOrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            ConsumerOrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            ApplicationId = c.Column<Guid>(nullable: false),
            SystemName = c.Column<string>(maxLength: 100, nullable: false),
            AllowedIps = c.Column<string>(maxLength: 1000, nullable: false),
            TermStart = c.Column<DateOnly>(nullable: false),
            TermEnd = c.Column<DateOnly>(nullable: false),
            SeasonalWindowsJson = c.Column<string>(nullable: true),
            UsageHours = c.Column<string>(maxLength: 50, nullable: false),
            DailyAverage = c.Column<int>(nullable: false),
            DailyPeak = c.Column<int>(nullable: false),
            Status = c.Column<string>(maxLength: 16, nullable: false),
            StatusChangedAt = c.Column<DateTime>(nullable: false),
            StatusChangedBy = c.Column<string>(maxLength: 100, nullable: true),
            StatusReason = c.Column<string>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            LastCalledAt = c.Column<DateTime>(nullable: true),
            ReminderSentAt = c.Column<DateTime>(nullable: true),
            RevokeRequestedAt = c.Column<DateTime>(nullable: true),
            RevokeInstanceId = c.Column<Guid>(nullable: true),
            Revision = c.Column<int>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_" + T.Authorizations, x => x.Id);
            t.ForeignKey("FK_api_authorizations_api_applications_ApplicationId", x => x.ApplicationId, T.Applications, "Id", onDelete: ReferentialAction.Restrict);
        });
        migrationBuilder.CreateIndex("IX_api_authorizations_ExecutionKey", T.Authorizations, "ExecutionKey", unique: true);
        migrationBuilder.CreateIndex("IX_api_authorizations_MountId_ApplicationId", T.Authorizations, ["MountId", "ApplicationId"]);
        migrationBuilder.CreateIndex("IX_api_authorizations_Status_TermEnd", T.Authorizations, ["Status", "TermEnd"]);
        migrationBuilder.CreateIndex("IX_api_authorizations_ApplicationId", T.Authorizations, "ApplicationId");

        migrationBuilder.CreateTable(T.DailyUsage, c => new
        {
            AuthorizationId = c.Column<Guid>(nullable: false),
            Day = c.Column<DateOnly>(nullable: false),
            Calls = c.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.DailyUsage, x => new { x.AuthorizationId, x.Day }));

        migrationBuilder.CreateTable(T.Calls, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            At = c.Column<DateTime>(nullable: false),
            InterfaceCode = c.Column<string>(maxLength: 100, nullable: false),
            MountId = c.Column<Guid>(nullable: true),
            ProviderOrgUnitId = c.Column<string>(maxLength: 100, nullable: true),
            ConsumerOrgUnitId = c.Column<string>(maxLength: 100, nullable: true),
            ApplicationId = c.Column<Guid>(nullable: true),
            AppKey = c.Column<string>(maxLength: 64, nullable: true),
            AuthorizationId = c.Column<Guid>(nullable: true),
            Method = c.Column<string>(maxLength: 16, nullable: false),
            Path = c.Column<string>(maxLength: 1000, nullable: false),
            SourceIp = c.Column<string>(maxLength: 64, nullable: true),
            Status = c.Column<int>(nullable: false),
            LatencyMs = c.Column<long>(nullable: false),
            BytesIn = c.Column<long>(nullable: false),
            BytesOut = c.Column<long>(nullable: false),
            Refusal = c.Column<string>(maxLength: 64, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Calls, x => x.Id));
        migrationBuilder.CreateIndex("IX_api_calls_At", T.Calls, "At");
        migrationBuilder.CreateIndex("IX_api_calls_AuthorizationId_At", T.Calls, ["AuthorizationId", "At"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { T.Calls, T.DailyUsage, T.Authorizations, T.Applications })
            migrationBuilder.DropTable(table);
    }
}
