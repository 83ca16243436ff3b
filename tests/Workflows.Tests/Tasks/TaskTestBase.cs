using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Tasks;

public abstract class TaskTestBase(DatabaseProvider provider) : EngineTestBase(provider)
{
    [OneTimeSetUp]
    public Task SeedOrganizationAsync() => TestOrganization.SeedAsync(Services);

    protected async Task<IReadOnlyList<TaskView>> OpenTasksAsync(Guid instanceId) =>
        (await Inbox.TasksOfInstanceAsync(instanceId)).Where(t => TaskStatuses.IsActive(t.Status)).ToList();

    protected async Task<TaskView> OpenTaskAsync(Guid instanceId, string activityId) =>
        (await OpenTasksAsync(instanceId)).Single(t => t.ActivityId == activityId && t.Status == TaskStatuses.Open);

    protected async Task<RunResult> StartAsAsync(string definitionId, string initiator, JsonObject? input = null)
    {
        var result = await Runtime.StartAsync(new StartWorkflowRequest(definitionId) { Input = input, Initiator = initiator });
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        return result.Value;
    }

    protected static T Ok<T>(WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        return result.Value;
    }

    protected static string? Refusal<T>(WorkflowResult<T> result) => result.Error?.Code;

    protected async Task<string?> InstanceStatusAsync(Guid instanceId) => (await Queries.GetInstanceAsync(instanceId))?.Status;
}
