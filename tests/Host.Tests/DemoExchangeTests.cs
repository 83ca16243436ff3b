using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Tests;

/// <summary>The default run's demo: the in-flight subscription DEMO-SUB-002 copies real rows once the platform completes its exchange step.</summary>
public sealed class DemoExchangeTests
{
    [Test]
    public async Task The_demo_subscription_exchanges_the_seeded_business_licences_when_the_platform_completes_its_step()
    {
        await using var factory = new HostFactory(seedDemo: true);
        _ = factory.CreateClient();
        Guid instanceId;
        await using (var db = await factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            instanceId = await db.Instances.Where(i => i.CorrelationId == "DEMO-SUB-002").Select(i => i.Id).SingleAsync();
        var step = (await factory.Services.GetRequiredService<TaskQueries>().TasksOfInstanceAsync(instanceId))
            .Single(t => t.Status == TaskStatuses.Open && t.ActivityId == "platformExchange");

        var done = await factory.Services.GetRequiredService<TaskService>().ApproveAsync(step.Id, "bureau.support", "已交换");

        Assert.That(done.IsSuccess, Is.True, done.ToString());
        var instance = await factory.Services.GetRequiredService<WorkflowQueries>().GetInstanceAsync(instanceId);
        Assert.That(instance!.Status, Is.EqualTo(WorkflowStatus.Finished));
        var run = (await factory.Services.GetRequiredService<IExchangeProgress>().OfInstanceAsync(instanceId)).Single();
        Assert.That((run.Status, run.RowsDone, run.ProviderOrgUnitId, run.ConsumerOrgUnitId, run.Target),
            Is.EqualTo((ExchangeRunStatus.Succeeded, 5L, "scjgj", "rsj", "fe_rsj.scjgj_t_yyzz")));
        Assert.That(run.Checksum, Is.EqualTo(run.SourceChecksum));
    }
}
