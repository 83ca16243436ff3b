using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>The exchange's tables (exc_*): table and file exchange runs, their progress and files.</summary>
public sealed class ExchangeDatabase(IOptions<WorkflowDatabaseOptions> options) : ModuleDatabase<ExchangeDbContext>(options)
{
    public override string Name => "exchange";

    protected override string MigrationsHistoryTable => ExchangeDbContext.Tables.MigrationsHistory;

    protected override ExchangeDbContext Create(DbContextOptions<ExchangeDbContext> contextOptions) => new(contextOptions);
}
