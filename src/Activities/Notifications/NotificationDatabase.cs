using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Notifications;

/// <summary>The notifications' table (ntf_*). They are written by the outbox's handlers after a burst committed, never inside one.</summary>
public sealed class NotificationDatabase(IOptions<WorkflowDatabaseOptions> options) : ModuleDatabase<NotificationDbContext>(options)
{
    public override string Name => "notifications";

    protected override string MigrationsHistoryTable => NotificationDbContext.Tables.MigrationsHistory;

    protected override NotificationDbContext Create(DbContextOptions<NotificationDbContext> contextOptions) => new(contextOptions);
}
