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
    TaskQueries queries, TaskAttachments attachments) : IDemoSeedStep
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
            var form = await UploadScansAsync(submit.Id, application, cancellationToken);
            var submitted = await tasks.ApproveAsync(submit.Id, application.Applicant, "提交申请", form, cancellationToken);
            if (!submitted.IsSuccess)
                throw new InvalidDataException($"演示申请 {application.CorrelationId} 无法提交：{submitted.Error!.Detail} " +
                    string.Join("; ", submitted.Error.Errors.Select(e => $"{e.Input}: {e.Message}")));
            created.Add(new DemoSeedItem("申请", application.CorrelationId, $"{application.DefinitionId}（{application.Applicant}）"));
        }

        return new DemoSeedStepResult(Name, created, existing);
    }

    /// <summary>
    /// The stamped scans a demo form names are uploaded to its case first, as an applicant would (a form may only name
    /// files uploaded to its own case): a one-page PDF saying it is a demo.
    /// </summary>
    private async Task<JsonObject> UploadScansAsync(Guid submitTask, DemoApplication application, CancellationToken cancellationToken)
    {
        var form = (JsonObject)application.Form.DeepClone();
        foreach (var (key, value) in application.Form)
        {
            if (value is not JsonObject file || file["name"]?.GetValue<string>() is not { } name) continue;
            await using var content = new MemoryStream(DemoPdf(name));
            var stored = await attachments.AttachAsync(submitTask, application.Applicant, name, content, cancellationToken: cancellationToken);
            if (!stored.IsSuccess) throw new InvalidDataException($"演示申请 {application.CorrelationId} 无法上传“{name}”：{stored.Error!.Detail}");
            form[key] = new JsonObject { ["id"] = stored.Value.Id.ToString(), ["name"] = name };
        }

        return form;
    }

    /// <summary>A minimal one-page PDF (ASCII text only: the file name goes into the document's title as UTF-16BE hex).</summary>
    private static byte[] DemoPdf(string title)
    {
        var hex = Convert.ToHexString(System.Text.Encoding.BigEndianUnicode.GetBytes(title));
        var body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
                   "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" +
                   $"4 0 obj<</Title<FEFF{hex}>/Subject(PdsWorkflow demo)>>endobj\ntrailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n";
        return System.Text.Encoding.ASCII.GetBytes(body);
    }

    private sealed record DemoApplication(string CorrelationId, string DefinitionId, string Applicant, JsonObject Input, JsonObject Form);
}
