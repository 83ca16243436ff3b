namespace PdsWorkflow.Workflows.Persistence;

/// <summary>
/// A module with tables of its own (the catalog, say) on the product's database: migrated at start-up after the engine's
/// schema, in registration order. A module's context joins a burst's transaction through <see cref="WorkflowDbContext"/>'s
/// connection (see docs/engine.md, "Modules"), so its changes commit with the workflow's.
/// </summary>
public interface IModuleDatabase
{
    string Name { get; }

    Task MigrateAsync(CancellationToken cancellationToken);
}
