using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Forms;
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
        await ProcessCatalog.SeedAsync(Services);
        await ImportDefinitionsAsync();
    }

    protected virtual async Task ImportDefinitionsAsync() =>
        await Services.GetRequiredService<DefinitionImporter>().ImportDirectoryAsync(Path.Combine(ShippedData.RepositoryRoot, "definitions"));

    /// <summary>
    /// Starts a case as the applicant and submits the application form on the applicant's first step, as the web UI does:
    /// the files the form names are uploaded to the case first, and the fields the platform fills are not sent.
    /// </summary>
    protected async Task<Guid> ApplyAsync(string definitionId, string applicant, JsonObject form, JsonObject? input = null)
    {
        var start = input?.DeepClone().AsObject() ?? [];
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definitionId) { Input = start, Initiator = applicant });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        Assert.That(submit.AssigneeId, Is.EqualTo(applicant));
        Ok(await Tasks.ApproveAsync(submit.Id, applicant, "提交申请", await AsSentAsync(submit.Id, applicant, form, ApplicantDescribes(definitionId))));
        return run.Value.InstanceId;
    }

    /// <summary>
    /// The fields the platform fills that the applicant describes where the records cannot: a provincial request names a
    /// resource and a provincial department the city catalog does not hold.
    /// </summary>
    protected static IReadOnlySet<string> ApplicantDescribes(string definitionId) =>
        definitionId == "provincial-resource" ? new HashSet<string> { "providerDepartment", "resourceName" } : new HashSet<string>();

    /// <summary>
    /// The form as a client sends it on a task: its files uploaded to the case, without the fields the platform fills
    /// (except those <paramref name="describes"/>).
    /// </summary>
    protected async Task<JsonObject> AsSentAsync(Guid taskId, string actor, JsonObject form, IReadOnlySet<string>? describes = null)
    {
        string? formId;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
            formId = await db.Tasks.Where(t => t.Id == taskId).Select(t => t.FormId).SingleAsync();
        var platform = formId is not null && Services.GetRequiredService<FormSchemaRegistry>().TryGet(formId, out var schema)
            ? schema.Fields.Where(f => f.IsFilledByPlatform).Select(f => f.Key).ToHashSet()
            : [];
        var sent = new JsonObject();
        foreach (var (key, value) in form)
        {
            if (platform.Contains(key) && describes?.Contains(key) != true) continue;
            sent[key] = value is JsonObject { } file && file["name"]?.GetValue<string>() is { } name && file.ContainsKey("id")
                ? await UploadAsync(taskId, actor, name)
                : value?.DeepClone();
        }

        return sent;
    }

    /// <summary>Uploads a small file of the type its name says to the task's case; the form's reference to it.</summary>
    protected async Task<JsonObject> UploadAsync(Guid taskId, string actor, string name)
    {
        using var content = new MemoryStream(TestFiles.Content(name));
        var stored = Ok(await Services.GetRequiredService<TaskAttachments>().AttachAsync(taskId, actor, name, content));
        return new JsonObject { ["id"] = stored.Id.ToString(), ["name"] = name };
    }

    /// <summary>A new account of <paramref name="accountUnitId"/> on form 1 or 2 (by the definition), without a consent letter.</summary>
    protected static JsonObject NewAccountForm(string definitionId, string accountUnitId)
    {
        var form = definitionId == "account-platform" ? FormExamples.PlatformAccount() : FormExamples.DatabaseFtpAccount();
        form["requestType"] = "new";
        form["accountUnitId"] = accountUnitId;
        form.Remove("existingAccount");
        form.Remove("consentDocument");
        return form;
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
