using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Indexes that keep the engine flat in the size of its history (issue #17). Every task command reads its step's group of
/// tasks by activity execution (<c>TaskService.GroupAsync</c>, the SLA notices' open tasks of a step), which had no index:
/// each completion read the whole task table, finished tasks included (29 ms on SQLite at 100,000 finished tasks against
/// 4 ms without them). 减签 asks whether a task's other signers are still open by their anchor, and walked every open
/// task of the platform for it; only signer tasks have an anchor, so that index holds those rows alone. Every other
/// statement of a start, a completion and the inbox already had an index (bookmarks by instance and status, the outbox
/// key, the journal and checkpoints by their keys): HotStatementPlanTests pins the plans on both providers.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261208000060_HistoryIndexes")]
public sealed class M060_HistoryIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.TasksByExecution, T.Tasks, "ActivityExecutionId");
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.SignersByAnchor, T.Tasks, "AnchorTaskId", filter: WorkflowDbContext.Indexes.SignerFilter);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.SignersByAnchor, T.Tasks);
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.TasksByExecution, T.Tasks);
    }
}
