using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Indexes for the inbox (issue #9). The assignee index covers assigned tasks only: whole, it offered SQLite an index
/// for "AssigneeId IS NULL", which its averaged statistics price like one user's tasks, so the claimable list walked every
/// unclaimed pool task; without it the claimable list starts from the user's candidate rows, and checks each of them in
/// the small index of open unclaimed tasks instead of the whole task table (old candidate rows stay). Applications by initiator
/// (my applications, the open-applications badge, the audit search by applicant) had no index at all.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000005_InboxIndexes")]
public sealed class M005_InboxIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.TasksByAssignee, T.Tasks);
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.TasksByAssignee, T.Tasks, ["AssigneeId", "Status", "DueAt"],
            filter: WorkflowDbContext.Indexes.AssignedFilter);
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.ClaimableTasks, T.Tasks, "Id", unique: true,
            filter: WorkflowDbContext.Indexes.ClaimableFilter);
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.InstancesByInitiator, T.Instances, ["Initiator", "CreatedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.InstancesByInitiator, T.Instances);
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.ClaimableTasks, T.Tasks);
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.TasksByAssignee, T.Tasks);
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.TasksByAssignee, T.Tasks, ["AssigneeId", "Status", "DueAt"]);
    }
}
