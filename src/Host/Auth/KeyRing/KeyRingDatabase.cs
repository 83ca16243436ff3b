using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Auth.KeyRing;

/// <summary>
/// The ASP.NET Core data-protection key ring (<c>dp_keys</c>) on the product's database, so that every Host node signs and
/// reads session cookies, CSRF tokens and protected secrets with the same keys. Each key's XML is encrypted at rest
/// (<see cref="AesGcmXmlEncryptor"/>) before it reaches this table.
/// </summary>
public sealed class KeyRingDbContext(DbContextOptions<KeyRingDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<DataProtectionKey>(e =>
    {
        e.ToTable(Tables.Keys);
        e.HasKey(x => x.Id);
        e.Property(x => x.FriendlyName).HasMaxLength(200);
    });

    internal static class Tables
    {
        public const string Keys = "dp_keys";
        public const string MigrationsHistory = "__keyring_migrations";
    }
}

public sealed class KeyRingDatabase(IOptions<WorkflowDatabaseOptions> options) : ModuleDatabase<KeyRingDbContext>(options)
{
    public override string Name => "keyring";

    protected override string MigrationsHistoryTable => KeyRingDbContext.Tables.MigrationsHistory;

    protected override KeyRingDbContext Create(DbContextOptions<KeyRingDbContext> contextOptions) => new(contextOptions);
}

[DbContext(typeof(KeyRingDbContext))]
[Migration("20261207000030_KeyRing")]
public sealed class K030_KeyRing : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(KeyRingDbContext.Tables.Keys, c => new
        {
            Id = c.Column<int>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            FriendlyName = c.Column<string>(maxLength: 200, nullable: true),
            Xml = c.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_" + KeyRingDbContext.Tables.Keys, x => x.Id));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(KeyRingDbContext.Tables.Keys);
}
