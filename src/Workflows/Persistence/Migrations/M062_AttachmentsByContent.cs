using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Workflows.Persistence.WorkflowDbContext.Tables;

namespace PdsWorkflow.Workflows.Persistence.Migrations;

/// <summary>
/// Attachments by their content's SHA-256: when an upload is refused after its bytes were stored, the clean-up asks whether
/// another case's record still names the same bytes before it deletes the file (<c>TaskAttachments</c>); without an index
/// that question read every attachment row of the platform's history.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261208000062_AttachmentsByContent")]
public sealed class M062_AttachmentsByContent : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(WorkflowDbContext.Indexes.AttachmentsByContent, T.Attachments, "Sha256");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropIndex(WorkflowDbContext.Indexes.AttachmentsByContent, T.Attachments);
}
