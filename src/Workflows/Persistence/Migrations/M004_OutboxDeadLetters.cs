using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>Outbox messages the dispatcher gave up on (dead letters), for an operator to see and retry.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000004_OutboxDeadLetters")]
public sealed class M004_OutboxDeadLetters : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTime>("DeadAt", T.Outbox, nullable: true);
        migrationBuilder.CreateIndex("IX_wf_outbox_DeadAt", T.Outbox, "DeadAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_wf_outbox_DeadAt", T.Outbox);
        migrationBuilder.DropColumn("DeadAt", T.Outbox);
    }
}
