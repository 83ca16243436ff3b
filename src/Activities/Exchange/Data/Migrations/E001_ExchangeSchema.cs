using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Activities.Exchange.Data.ExchangeDbContext.Tables;

namespace PdsWorkflow.Activities.Exchange.Data.Migrations;

/// <summary>Written by hand, as the catalog's; column types are left to each provider's mapping of the CLR type.</summary>
[DbContext(typeof(ExchangeDbContext))]
[Migration("20261124000001_ExchangeSchema")]
public sealed class E001_ExchangeSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.Runs, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            ExecutionKey = c.Column<string>(maxLength: 300, nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            ActivityId = c.Column<string>(maxLength: 200, nullable: false),
            Kind = c.Column<string>(maxLength: 16, nullable: false),
            ResourceCode = c.Column<string>(maxLength: 64, nullable: false),
            ResourceName = c.Column<string>(maxLength: 200, nullable: false),
            ProviderOrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            ConsumerOrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            TargetOrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            TargetLevel = c.Column<string>(maxLength: 16, nullable: false),
            Mode = c.Column<string>(maxLength: 16, nullable: false),
            Source = c.Column<string>(maxLength: 400, nullable: false),
            Target = c.Column<string>(maxLength: 400, nullable: false),
            Status = c.Column<string>(maxLength: 16, nullable: false),
            Attempts = c.Column<int>(nullable: false),
            RowsTotal = c.Column<long>(nullable: true),
            RowsDone = c.Column<long>(nullable: false),
            FilesTotal = c.Column<int>(nullable: true),
            FilesDone = c.Column<int>(nullable: false),
            BytesTotal = c.Column<long>(nullable: true),
            BytesDone = c.Column<long>(nullable: false),
            SourceChecksum = c.Column<string>(maxLength: 64, nullable: true),
            Checksum = c.Column<string>(maxLength: 64, nullable: true),
            StartedAt = c.Column<DateTime>(nullable: false),
            UpdatedAt = c.Column<DateTime>(nullable: false),
            FinishedAt = c.Column<DateTime>(nullable: true),
            Error = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.Runs, x => x.Id));
        migrationBuilder.CreateIndex("IX_exc_runs_ExecutionKey", T.Runs, "ExecutionKey", unique: true);
        migrationBuilder.CreateIndex("IX_exc_runs_InstanceId", T.Runs, "InstanceId");
        migrationBuilder.CreateIndex("IX_exc_runs_ProviderOrgUnitId_StartedAt", T.Runs, ["ProviderOrgUnitId", "StartedAt"]);
        migrationBuilder.CreateIndex("IX_exc_runs_ConsumerOrgUnitId_StartedAt", T.Runs, ["ConsumerOrgUnitId", "StartedAt"]);

        migrationBuilder.CreateTable(T.Files, c => new
        {
            RunId = c.Column<Guid>(nullable: false),
            Path = c.Column<string>(maxLength: 400, nullable: false),
            Bytes = c.Column<long>(nullable: false),
            Sha256 = c.Column<string>(maxLength: 64, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_" + T.Files, x => new { x.RunId, x.Path });
            t.ForeignKey("FK_exc_files_exc_runs_RunId", x => x.RunId, T.Runs, "Id", onDelete: ReferentialAction.Cascade);
        });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(T.Files);
        migrationBuilder.DropTable(T.Runs);
    }
}
