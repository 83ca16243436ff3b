using Microsoft.Extensions.Diagnostics.HealthChecks;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;

public sealed class DatabaseHealthCheck(WorkflowStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{store.Provider} reachable")
            : HealthCheckResult.Unhealthy($"{store.Provider} unreachable");
    }
}
