using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// The shipped definitions imported into a fresh database of each provider, with the platform's modules, the test
/// organisation, exchange doubles and a manual clock. Tests drive a process as its users would.
/// </summary>
public abstract class ProcessTestBase(DatabaseProvider provider) : EngineTestBase(provider)
{
    protected static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddPdsActivities(new ConfigurationBuilder().Build());
        services.AddExchangeDoubles();
    }

    [OneTimeSetUp]
    public async Task ImportAsync()
    {
        foreach (var module in Services.GetServices<IModuleDatabase>()) await module.MigrateAsync(CancellationToken.None);
        await TestOrganization.SeedAsync(Services);
        await ImportDefinitionsAsync();
    }

    protected virtual async Task ImportDefinitionsAsync() =>
        await Services.GetRequiredService<DefinitionImporter>().ImportDirectoryAsync(Path.Combine(ShippedData.RepositoryRoot, "definitions"));

    /// <summary>Starts a case as the applicant and submits the application form on the applicant's first step.</summary>
    protected async Task<Guid> ApplyAsync(string definitionId, string applicant, JsonObject form, JsonObject? input = null)
    {
        var start = input?.DeepClone().AsObject() ?? [];
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definitionId) { Input = start, Initiator = applicant });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        Assert.That(submit.AssigneeId, Is.EqualTo(applicant));
        Ok(await Tasks.ApproveAsync(submit.Id, applicant, "提交申请", form));
        return run.Value.InstanceId;
    }

    protected async Task<IReadOnlyList<TaskView>> OpenAsync(Guid instanceId) =>
        (await Inbox.TasksOfInstanceAsync(instanceId)).Where(t => t.Status == TaskStatuses.Open).ToList();

    protected async Task<TaskView> StepAsync(Guid instanceId, string activityId)
    {
        var open = await OpenAsync(instanceId);
        Assert.That(open.Select(t => t.ActivityId), Does.Contain(activityId), $"open steps: {string.Join(", ", open.Select(t => t.ActivityId))}");
        return open.Single(t => t.ActivityId == activityId);
    }

    protected async Task<IReadOnlyList<string>> CandidatesAsync(TaskView task)
    {
        if (task.AssigneeId is { } assignee) return [assignee];
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.TaskCandidates.Where(c => c.TaskId == task.Id).Select(c => c.UserId).OrderBy(u => u).ToListAsync();
    }

    protected async Task<(string Status, string? Result)> OutcomeAsync(Guid instanceId)
    {
        var instance = (await Queries.GetInstanceAsync(instanceId))!;
        return (instance.Status, instance.Result?.GetValue<string>());
    }

    protected async Task<int> OutboxAsync(Guid instanceId, string type)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Outbox.CountAsync(m => m.InstanceId == instanceId && m.Type == type);
    }

    protected static T Ok<T>(WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => result.ToString() + " " + string.Join("; ", result.Error?.Errors.Select(e => $"{e.Input}: {e.Message}") ?? []));
        return result.Value;
    }
}
