using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Activities.Interfaces.InterfacesDbContext.Tables;

namespace PdsWorkflow.Activities.Interfaces.Migrations;

/// <summary>Counters of anonymous gateway refusals, instead of a call-log row each (issue #14).</summary>
[DbContext(typeof(InterfacesDbContext))]
[Migration("20261207000041_GatewayCallCounters")]
public sealed class I041_GatewayCallCounters : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.CallCounters, c => new
        {
            Day = c.Column<DateOnly>(nullable: false),
            Refusal = c.Column<string>(maxLength: 64, nullable: false),
            MountId = c.Column<Guid>(nullable: false),
            ProviderOrgUnitId = c.Column<string>(maxLength: 100, nullable: true),
            Calls = c.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.CallCounters, x => new { x.Day, x.Refusal, x.MountId }));
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(T.CallCounters);
}
