using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Startup;

/// <summary>
/// Creates or migrates the schema, imports the definition files and, on a first start, seeds the demo data, before the
/// Host takes requests.
/// </summary>
public sealed class DatabaseInitializer(WorkflowStore store, IEnumerable<IModuleDatabase> modules, DefinitionImporter importer,
    IOptions<DefinitionsOptions> options, DemoSeeder demo, IOptions<DemoOptions> demoOptions, ILogger<DatabaseInitializer> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Migrating the {Provider} database", store.Provider);
        await store.MigrateAsync(cancellationToken);
        foreach (var module in modules)
        {
            logger.LogInformation("Migrating the {Module} tables", module.Name);
            await module.MigrateAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<ImportedDefinition>> ImportDefinitionsAsync(CancellationToken cancellationToken)
    {
        var folder = ProductPaths.Resolve(options.Value.Path);
        logger.LogInformation("Importing definitions from {Folder}", folder);
        return await importer.ImportDirectoryAsync(folder, cancellationToken);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        if (options.Value.ImportOnStart) await ImportDefinitionsAsync(cancellationToken);
        await SeedDemoOnFirstStartAsync(cancellationToken);
    }

    /// <summary>
    /// The default run (SQLite, an embedded database) starts with the demo organisation, so a new installation can be
    /// tried at once. A database server (PostgreSQL) is a real site's more often than not: it gets demo data only when an
    /// operator runs <c>seed-demo</c>.
    /// </summary>
    private async Task SeedDemoOnFirstStartAsync(CancellationToken cancellationToken)
    {
        if (!demoOptions.Value.SeedOnFirstStart) return;
        if (!store.Dialect.IsEmbedded)
        {
            logger.LogInformation("Demo:SeedOnFirstStart applies to SQLite only; run the seed-demo verb to seed this {Provider} database", store.Provider);
            return;
        }

        if (!await demo.IsFirstStartAsync(cancellationToken)) return;
        var results = await demo.SeedAsync(cancellationToken);
        logger.LogWarning(
            "First start: seeded the demo data ({Created} items). Every demo user signs in with the password in the README; set Demo:SeedOnFirstStart to false for a real site",
            results.Sum(r => r.Created.Count));
    }
}
