using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Notifications;

/// <summary>
/// The notifications' table on the engine's database, migrated at start-up as a module. Notifications are written by the
/// outbox's handlers after a burst committed, never inside one, so the module has no context joined to a burst.
/// </summary>
public sealed class NotificationDatabase(IOptions<WorkflowDatabaseOptions> options) : IModuleDatabase
{
    public string Name => "notifications";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    public NotificationDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<NotificationDbContext>();
        var connectionString = options.Value.ConnectionString;
        const string history = NotificationDbContext.Tables.MigrationsHistory;
        _ = options.Value.Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(history)),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(history)),
            _ => throw new InvalidOperationException($"Unsupported database provider {options.Value.Provider}."),
        };

        // The migrations are hand-written and have no model snapshot to compare against.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return new NotificationDbContext(builder.Options);
    }
}
