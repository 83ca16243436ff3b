using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using I = PdsWorkflow.Activities.Catalog.CatalogDbContext.Indexes;
using T = PdsWorkflow.Activities.Catalog.CatalogDbContext.Tables;

namespace PdsWorkflow.Activities.Catalog.Migrations;

/// <summary>
/// Written by hand, as the engine's (the EF design-time tools cannot be restored here). Column types are left to each
/// provider's mapping of the CLR type, so the one migration serves SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261123000001_CatalogSchema")]
public sealed class C001_CatalogSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(T.Entries, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            ResourceCode = c.Column<string>(maxLength: 64, nullable: false),
            ProviderOrgUnitId = c.Column<string>(maxLength: 100, nullable: false),
            CreatedAt = c.Column<DateTime>(nullable: false),
            CreatedBy = c.Column<string>(maxLength: 100, nullable: false),
            EverPublished = c.Column<bool>(nullable: false),
            Revision = c.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_" + T.Entries, x => x.Id));
        migrationBuilder.CreateIndex("IX_cat_entries_ResourceCode", T.Entries, "ResourceCode", unique: true);
        migrationBuilder.CreateIndex("IX_cat_entries_ProviderOrgUnitId", T.Entries, "ProviderOrgUnitId");

        migrationBuilder.CreateTable(T.Versions, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            EntryId = c.Column<Guid>(nullable: false),
            Number = c.Column<int>(nullable: false),
            Status = c.Column<string>(maxLength: 16, nullable: false),
            FormVersion = c.Column<int>(nullable: false),
            DataJson = c.Column<string>(nullable: false),
            ResourceName = c.Column<string>(maxLength: 200, nullable: false),
            ResourceCode = c.Column<string>(maxLength: 64, nullable: false),
            ClassificationCode = c.Column<string>(maxLength: 32, nullable: false),
            ShareType = c.Column<int>(nullable: false),
            FormatCategory = c.Column<string>(maxLength: 32, nullable: false),
            UpdateCycle = c.Column<string>(maxLength: 16, nullable: false),
            CreatedAt = c.Column<DateTime>(nullable: false),
            CreatedBy = c.Column<string>(maxLength: 100, nullable: false),
            UpdatedAt = c.Column<DateTime>(nullable: false),
            UpdatedBy = c.Column<string>(maxLength: 100, nullable: false),
            StatusChangedAt = c.Column<DateTime>(nullable: false),
            StatusChangedBy = c.Column<string>(maxLength: 100, nullable: false),
            PublishedAt = c.Column<DateTime>(nullable: true),
            PublishedBy = c.Column<string>(maxLength: 100, nullable: true),
            ReturnProblemsJson = c.Column<string>(nullable: true),
            RevisionReason = c.Column<string>(nullable: true),
            UpdateDueAt = c.Column<DateTime>(nullable: true),
            Revision = c.Column<int>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_" + T.Versions, x => x.Id);
            t.ForeignKey("FK_cat_versions_cat_entries_EntryId", x => x.EntryId, T.Entries, "Id", onDelete: ReferentialAction.Restrict);
        });
        migrationBuilder.CreateIndex("IX_cat_versions_EntryId_Number", T.Versions, ["EntryId", "Number"], unique: true);
        migrationBuilder.CreateIndex(I.OneOpenVersion, T.Versions, "EntryId", unique: true, filter: I.OpenFilter);
        migrationBuilder.CreateIndex(I.OnePublishedVersion, T.Versions, "EntryId", unique: true, filter: I.PublishedFilter);
        migrationBuilder.CreateIndex("IX_cat_versions_Status_ClassificationCode", T.Versions, ["Status", "ClassificationCode"]);
        migrationBuilder.CreateIndex("IX_cat_versions_Status_UpdateDueAt", T.Versions, ["Status", "UpdateDueAt"]);

        migrationBuilder.CreateTable(T.Mounts, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            EntryId = c.Column<Guid>(nullable: false),
            Kind = c.Column<string>(maxLength: 16, nullable: false),
            Target = c.Column<string>(maxLength: 400, nullable: false),
            Name = c.Column<string>(maxLength: 200, nullable: true),
            FilesJson = c.Column<string>(nullable: true),
            Description = c.Column<string>(maxLength: 200, nullable: true),
            MountedAt = c.Column<DateTime>(nullable: false),
            MountedBy = c.Column<string>(maxLength: 100, nullable: false),
            RemovedAt = c.Column<DateTime>(nullable: true),
            RemovedBy = c.Column<string>(maxLength: 100, nullable: true),
            RemovedReason = c.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_" + T.Mounts, x => x.Id);
            t.ForeignKey("FK_cat_mounts_cat_entries_EntryId", x => x.EntryId, T.Entries, "Id", onDelete: ReferentialAction.Restrict);
        });
        migrationBuilder.CreateIndex("IX_cat_mounts_EntryId", T.Mounts, "EntryId");

        migrationBuilder.CreateTable(T.Audit, c => new
        {
            Id = c.Column<Guid>(nullable: false),
            EntryId = c.Column<Guid>(nullable: false),
            Sequence = c.Column<int>(nullable: false),
            VersionId = c.Column<Guid>(nullable: true),
            VersionNumber = c.Column<int>(nullable: true),
            Action = c.Column<string>(maxLength: 32, nullable: false),
            FromStatus = c.Column<string>(maxLength: 16, nullable: true),
            ToStatus = c.Column<string>(maxLength: 16, nullable: true),
            Actor = c.Column<string>(maxLength: 100, nullable: false),
            At = c.Column<DateTime>(nullable: false),
            Reason = c.Column<string>(nullable: true),
            DetailsJson = c.Column<string>(nullable: true),
            InstanceId = c.Column<Guid>(nullable: true),
            ActivityId = c.Column<string>(maxLength: 200, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_" + T.Audit, x => x.Id);
            t.ForeignKey("FK_cat_audit_cat_entries_EntryId", x => x.EntryId, T.Entries, "Id", onDelete: ReferentialAction.Restrict);
        });
        migrationBuilder.CreateIndex("IX_cat_audit_EntryId_Sequence", T.Audit, ["EntryId", "Sequence"], unique: true);
        migrationBuilder.CreateIndex("IX_cat_audit_InstanceId", T.Audit, "InstanceId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { T.Audit, T.Mounts, T.Versions, T.Entries })
            migrationBuilder.DropTable(table);
    }
}
