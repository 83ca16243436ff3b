using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// Seeds the demo data by running every <see cref="IDemoSeedStep"/> in order, in a scope of its own. Running it again
/// creates only what is missing.
/// </summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, WorkflowStore store, ILogger<DemoSeeder> logger)
{
    /// <summary>The one password of every demo user (README, "Demo"). Public: demo data only.</summary>
    public const string Password = "Pds@2026demo";

    /// <summary>The first start of a database: nobody and no unit in it yet.</summary>
    public async Task<bool> IsFirstStartAsync(CancellationToken cancellationToken)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return !await db.OrgUnits.AnyAsync(cancellationToken) && !await db.Users.AnyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DemoSeedStepResult>> SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var results = new List<DemoSeedStepResult>();
        foreach (var step in scope.ServiceProvider.GetServices<IDemoSeedStep>().OrderBy(s => s.Order).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var result = await step.SeedAsync(cancellationToken);
            logger.LogInformation("Demo step {Step}: {Created} created, {Kept} left as they were", step.Name, result.Created.Count, result.LeftAsTheyWere);
            results.Add(result);
        }

        return results;
    }
}
