using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Startup;

/// <summary>Creates or migrates the schema and imports the definition files, before the Host takes requests.</summary>
public sealed class DatabaseInitializer(WorkflowStore store, IEnumerable<IModuleDatabase> modules, DefinitionImporter importer,
    IOptions<DefinitionsOptions> options, ILogger<DatabaseInitializer> logger)
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
    }
}
