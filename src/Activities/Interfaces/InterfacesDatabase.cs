using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>The interfaces module's tables (api_*): applications, authorisations, daily usage and the gateway's call log.</summary>
public sealed class InterfacesDatabase(IOptions<WorkflowDatabaseOptions> options) : ModuleDatabase<InterfacesDbContext>(options)
{
    public override string Name => "interfaces";

    protected override string MigrationsHistoryTable => InterfacesDbContext.Tables.MigrationsHistory;

    protected override InterfacesDbContext Create(DbContextOptions<InterfacesDbContext> contextOptions) => new(contextOptions);
}
