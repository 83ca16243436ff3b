using Microsoft.Extensions.Logging;
using Quartz;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>
/// Runs <see cref="InterfaceSweep"/> once a day (<see cref="InterfacesOptions.SweepCron"/>, Beijing time) on the
/// engine's Quartz scheduler; disallowing concurrent execution holds across a PostgreSQL cluster, so one node sweeps.
/// </summary>
[DisallowConcurrentExecution]
public sealed class InterfaceSweepJob(InterfaceSweep sweep, ILogger<InterfaceSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep-interface-authorizations", "pds-interfaces");
    public static readonly TriggerKey TriggerKey = new("sweep-interface-authorizations", "pds-interfaces");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = await sweep.RunAsync(cancellationToken);
            logger.LogInformation("Interface sweep: {Reminded} reminded, {Expired} expired, {Revoke} revoke cases started",
                result.Reminded.Count, result.Expired.Count, result.RevokeRequested.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next run picks up whatever this one left: every step is keyed or marked.
            logger.LogError(ex, "The interface authorisation sweep failed; it runs again at its next time");
        }
    }
}
