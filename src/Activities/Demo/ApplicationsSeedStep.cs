using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Demo;

/// <summary>
/// In-flight demo applications (definitions/demo/applications.json): each is started by its demo applicant and
/// submitted, so it waits at the next step and the approvers' inboxes are not empty. Idempotent by correlation id; the
/// definitions must have been imported (a definition that is not published stops the seeding with the reason).
/// </summary>
public sealed class ApplicationsSeedStep(IOptions<DemoOptions> options, WorkflowStore store, WorkflowRuntime runtime, TaskService tasks,
    TaskQueries queries) : IDemoSeedStep
{
    public int Order => DemoSeedOrder.Applications;

    public string Name => "在办申请 (applications)";

    public async Task<DemoSeedStepResult> SeedAsync(CancellationToken cancellationToken)
    {
        var file = await File.ReadAllTextAsync(options.Value.ApplicationsFile, cancellationToken);
        var applications = JsonNode.Parse(file)!["applications"]!.AsArray().Select(a => a!.Deserialize<DemoApplication>(JsonSerializerOptions.Web)!).ToList();
        var created = new List<DemoSeedItem>();
        var existing = 0;
        foreach (var application in applications)
        {
            await using (var db = await store.CreateContextAsync(cancellationToken))
            {
                if (await db.Instances.AnyAsync(i => i.CorrelationId == application.CorrelationId, cancellationToken))
                {
                    existing++;
                    continue;
                }
            }

            var started = await runtime.StartAsync(new StartWorkflowRequest(application.DefinitionId)
            {
                CorrelationId = application.CorrelationId,
                Initiator = application.Applicant,
                Input = application.Input,
            }, cancellationToken);
            if (!started.IsSuccess) throw new InvalidDataException($"演示申请 {application.CorrelationId} 无法发起：{started.Error!.Detail}");
            var submit = (await queries.TasksOfInstanceAsync(started.Value.InstanceId, cancellationToken)).Single(t => t.Status == TaskStatuses.Open);
            var submitted = await tasks.ApproveAsync(submit.Id, application.Applicant, "提交申请", application.Form, cancellationToken);
            if (!submitted.IsSuccess)
                throw new InvalidDataException($"演示申请 {application.CorrelationId} 无法提交：{submitted.Error!.Detail} " +
                    string.Join("; ", submitted.Error.Errors.Select(e => $"{e.Input}: {e.Message}")));
            created.Add(new DemoSeedItem("申请", application.CorrelationId, $"{application.DefinitionId}（{application.Applicant}）"));
        }

        return new DemoSeedStepResult(Name, created, existing);
    }

    private sealed record DemoApplication(string CorrelationId, string DefinitionId, string Applicant, JsonObject Input, JsonObject Form);
}
