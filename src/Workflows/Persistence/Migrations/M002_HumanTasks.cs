using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>The organisation (units, users, roles) and human tasks with their audit, copies and attachments.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000002_HumanTasks")]
public sealed class M002_HumanTasks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.OrgUnits, c => new
        {
            Id = c.Column<string>(maxLength: 100, nullable: false),
            Name = c.Column<string>(maxLength: 200, nullable: false),
            Kind = c.Column<string>(maxLength: 32, nullable: false),
            ParentId = c.Column<string>(maxLength: 100, nullable: true),
            RegionCode = c.Column<string>(maxLength: 12, nullable: false),
            RegionName = c.Column<string>(maxLength: 100, nullable: true),
            CreditCode = c.Column<string>(maxLength: 18, nullable: true),
            IsActive = c.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.OrgUnits, x => x.Id));
        migrationBuilder.CreateIndex("IX_org_units_RegionCode_Kind", T.OrgUnits, ["RegionCode", "Kind"]);

        migrationBuilder.CreateTable(T.Users, c => new
        {
            Id = c.Column<string>(maxLength: 100, nullable: false),
            DisplayName = c.Column<string>(maxLength: 100, nullable: false),
            OrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            Title = c.Column<string>(maxLength: 100, nullable: true),
            Phone = c.Column<string>(maxLength: 40, nullable: true),
            Email = c.Column<string>(maxLength: 200, nullable: true),
            IsActive = c.Column<bool>(nullable: false),
            PasswordHash = c.Column<string>(maxLength: 400, nullable: true),
            FailedSignIns = c.Column<int>(nullable: false),
            LockedUntil = c.Column<DateTime>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Users, x => x.Id));
        migrationBuilder.CreateIndex("IX_org_users_OrgUnitId", T.Users, "OrgUnitId");

        migrationBuilder.CreateTable(T.UserRoles, c => new
        {
            UserId = c.Column<string>(maxLength: 100, nullable: false),
            Role = c.Column<string>(maxLength: 64, nullable: false),
            OrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.UserRoles, x => new { x.UserId, x.Role, x.OrgUnitId }));
        migrationBuilder.CreateIndex("IX_org_user_roles_Role_OrgUnitId", T.UserRoles, ["Role", "OrgUnitId"]);

        migrationBuilder.CreateTable(T.Tasks, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            BookmarkId = c.Column<Guid>(nullable: false),
            ActivityId = c.Column<string>(maxLength: 200, nullable: false),
            ActivityExecutionId = c.Column<Guid>(nullable: false),
            DefinitionId = c.Column<string>(maxLength: 200, nullable: false),
            ProcessName = c.Column<string>(maxLength: 400, nullable: true),
            Title = c.Column<string>(maxLength: 400, nullable: false),
            Status = c.Column<string>(maxLength: 16, nullable: false),
            SignerKind = c.Column<string>(maxLength: 16, nullable: false),
            AnchorTaskId = c.Column<Guid>(nullable: true),
            ApprovalMode = c.Column<string>(maxLength: 16, nullable: false),
            ApprovalRatio = c.Column<double>(nullable: true),
            AssigneeId = c.Column<string>(maxLength: 100, nullable: true),
            OwnerId = c.Column<string>(maxLength: 100, nullable: true),
            DelegationState = c.Column<string>(maxLength: 16, nullable: true),
            OrgUnitId = c.Column<string>(maxLength: 100, nullable: true),
            InitiatorId = c.Column<string>(maxLength: 100, nullable: true),
            ApplicantOrgUnitId = c.Column<string>(maxLength: 100, nullable: true),
            Vote = c.Column<string>(maxLength: 16, nullable: true),
            Outcome = c.Column<string>(maxLength: 100, nullable: true),
            Comment = c.Column<string>(nullable: true),
            CompletedBy = c.Column<string>(maxLength: 100, nullable: true),
            CompletedAt = c.Column<DateTime>(nullable: true),
            FormId = c.Column<string>(maxLength: 100, nullable: true),
            FieldPermissionsJson = c.Column<string>(nullable: true),
            ReturnTargetsJson = c.Column<string>(nullable: true),
            DueAt = c.Column<DateTime>(nullable: true),
            YellowAt = c.Column<DateTime>(nullable: true),
            ClockJson = c.Column<string>(nullable: true),
            ProvisionalYears = c.Column<string>(maxLength: 100, nullable: true),
            ExtensionPending = c.Column<bool>(nullable: false),
            AssignmentNote = c.Column<string>(maxLength: 400, nullable: true),
            UrgeCount = c.Column<int>(nullable: false),
            LastUrgedAt = c.Column<DateTime>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            ClaimedAt = c.Column<DateTime>(nullable: true),
            Revision = c.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Tasks, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_tasks_AssigneeId_Status_DueAt", T.Tasks, ["AssigneeId", "Status", "DueAt"]);
        migrationBuilder.CreateIndex("IX_wf_tasks_Status_DueAt", T.Tasks, ["Status", "DueAt"]);
        migrationBuilder.CreateIndex("IX_wf_tasks_InstanceId_Status", T.Tasks, ["InstanceId", "Status"]);
        migrationBuilder.CreateIndex("IX_wf_tasks_CompletedBy_CompletedAt", T.Tasks, ["CompletedBy", "CompletedAt"]);
        migrationBuilder.CreateIndex("IX_wf_tasks_OrgUnitId_Status_DueAt", T.Tasks, ["OrgUnitId", "Status", "DueAt"]);
        migrationBuilder.CreateIndex("IX_wf_tasks_BookmarkId", T.Tasks, "BookmarkId");
        migrationBuilder.CreateIndex("IX_wf_tasks_ProvisionalYears", T.Tasks, "ProvisionalYears");

        migrationBuilder.CreateTable(T.TaskCandidates, c => new
        {
            TaskId = c.Column<Guid>(nullable: false),
            UserId = c.Column<string>(maxLength: 100, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.TaskCandidates, x => new { x.TaskId, x.UserId }));
        migrationBuilder.CreateIndex("IX_wf_task_candidates_UserId_TaskId", T.TaskCandidates, ["UserId", "TaskId"]);

        migrationBuilder.CreateTable(T.TaskActions, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            TaskId = c.Column<Guid>(nullable: true),
            Action = c.Column<string>(maxLength: 32, nullable: false),
            Actor = c.Column<string>(maxLength: 100, nullable: false),
            At = c.Column<DateTime>(nullable: false),
            Sequence = c.Column<long>(nullable: false),
            Comment = c.Column<string>(nullable: true),
            BeforeJson = c.Column<string>(nullable: true),
            AfterJson = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.TaskActions, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_task_actions_InstanceId_At", T.TaskActions, ["InstanceId", "At"]);
        migrationBuilder.CreateIndex("IX_wf_task_actions_Actor_At", T.TaskActions, ["Actor", "At"]);
        migrationBuilder.CreateIndex("IX_wf_task_actions_TaskId", T.TaskActions, "TaskId");

        migrationBuilder.CreateTable(T.CarbonCopies, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            TaskId = c.Column<Guid>(nullable: true),
            UserId = c.Column<string>(maxLength: 100, nullable: false),
            CopiedBy = c.Column<string>(maxLength: 100, nullable: false),
            Note = c.Column<string>(nullable: true),
            CreatedAt = c.Column<DateTime>(nullable: false),
            ReadAt = c.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + T.CarbonCopies, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_carbon_copies_UserId_ReadAt", T.CarbonCopies, ["UserId", "ReadAt"]);
        migrationBuilder.CreateIndex("IX_wf_carbon_copies_InstanceId", T.CarbonCopies, "InstanceId");

        migrationBuilder.CreateTable(T.Attachments, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            InstanceId = c.Column<Guid>(nullable: false),
            TaskId = c.Column<Guid>(nullable: true),
            FileName = c.Column<string>(maxLength: 400, nullable: false),
            ContentType = c.Column<string>(maxLength: 200, nullable: false),
            Size = c.Column<long>(nullable: false),
            Sha256 = c.Column<string>(maxLength: 64, nullable: false),
            UploadedBy = c.Column<string>(maxLength: 100, nullable: false),
            UploadedAt = c.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Attachments, x => x.Id));
        migrationBuilder.CreateIndex("IX_wf_attachments_InstanceId", T.Attachments, "InstanceId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { T.Attachments, T.CarbonCopies, T.TaskActions, T.TaskCandidates, T.Tasks, T.UserRoles, T.Users, T.OrgUnits })
            migrationBuilder.DropTable(table);
    }
}
