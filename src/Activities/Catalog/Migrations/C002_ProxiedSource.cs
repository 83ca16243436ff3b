using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using T = PdsWorkflow.Activities.Catalog.CatalogDbContext.Tables;

namespace PdsWorkflow.Activities.Catalog.Migrations;

/// <summary>The source of a proxied entry (代理 of a provincial or national resource, 000 五).</summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261123000002_ProxiedSource")]
public sealed class C002_ProxiedSource : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("SourceLevel", T.Entries, maxLength: 16, nullable: true);
        migrationBuilder.AddColumn<string>("SourceDepartment", T.Entries, maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<string>("SourceResourceCode", T.Entries, maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>("SourceRequest", T.Entries, maxLength: 100, nullable: true);
        migrationBuilder.CreateIndex("IX_cat_entries_SourceLevel_SourceResourceCode", T.Entries, ["SourceLevel", "SourceResourceCode"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_cat_entries_SourceLevel_SourceResourceCode", T.Entries);
        foreach (var column in new[] { "SourceRequest", "SourceResourceCode", "SourceDepartment", "SourceLevel" })
            migrationBuilder.DropColumn(column, T.Entries);
    }
}
