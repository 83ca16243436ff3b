using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Activities.Tests.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Interfaces;

/// <summary>
/// The catalog's test fixture (市民政局 as a provider with published entries) plus the accounts' delivery and the
/// interfaces module, the shipped definitions imported (interface-revoke), and the form 3 example pointed at 市民政局's
/// mounted interface, used by 市人力资源和社会保障局.
/// </summary>
public abstract class InterfacesTestBase(DatabaseProvider provider) : CatalogTestBase(provider)
{
    protected const string InterfaceName = "居民身份信息核验接口";
    protected const string Consumer = TestOrganization.HumanResources;

    protected static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    protected InterfaceService Interfaces => Services.GetRequiredService<InterfaceService>();
    protected InterfacesDatabase InterfacesDb => Services.GetRequiredService<InterfacesDatabase>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Accounts:SecretKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        }).Build();
        services.AddAccounts(configuration);
        services.AddInterfaces(configuration);
    }

    [OneTimeSetUp]
    public async Task SetUpInterfacesAsync()
    {
        foreach (var module in Services.GetServices<IModuleDatabase>()) await module.MigrateAsync(CancellationToken.None);
        await Services.GetRequiredService<DefinitionImporter>().ImportFileAsync(Path.Combine(ShippedData.RepositoryRoot, "definitions", "interface-revoke.json"));
    }

    /// <summary>A published entry of 市民政局 with an interface mounted under <paramref name="name"/>.</summary>
    protected async Task<CatalogMountView> MountedInterfaceAsync(string name = InterfaceName, string endpoint = "http://127.0.0.1:9/api/verify")
    {
        var published = await PublishedAsync();
        return Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Api) { ApiName = name, Endpoint = endpoint }, "mz.staff"));
    }

    /// <summary>Form 3 for <paramref name="interfaceName"/>: the using department is 市人社局 (by name), its system and term as given.</summary>
    protected static JsonObject Form(string interfaceName = InterfaceName, string system = "社保待遇资格认证系统", string start = "2026-03-10", int days = 365,
        bool seasonal = false, string ips = "59.207.101.21, 10.8.0.0/16, 240e:1::21", string hours = "每日 00:00-24:00", int peak = 100)
    {
        var form = FormExamples.InterfaceRequest();
        form["interfaceName"] = interfaceName;
        form["providerUnit"] = "市民政局";
        form.Remove("userDepartmentCode");
        form["userDepartmentName"] = "市人力资源和社会保障局";
        form["systemName"] = system;
        form["periodStart"] = start;
        form["periodDays"] = days;
        if (!seasonal) form.Remove("seasonalWindows");
        form["extranetIps"] = ips;
        form["usageHours"] = hours;
        form["dailyCallsAverage"] = Math.Min(10, peak);
        form["dailyCallsPeak"] = peak;
        return form;
    }

    /// <summary>Grants through the real activity in a small definition: start → authorize → end, provider 市民政局.</summary>
    protected async Task<(Guid InstanceId, AuthorizationView Authorization, string AppKey)> GrantAsync(JsonObject form)
    {
        var definition = new DefinitionBuilder(UniqueId("api-grant"))
            .Variable("providerOrgUnitId", Mzj)
            .Add("start", "Start")
            .Add("authorize", AuthorizeInterface.Type, ("request", DefinitionBuilder.Js("input.form")))
            .Add("end", "End")
            .Chain("start", "authorize", "end")
            .Build();
        await PublishAsync(definition);
        var run = await Runtime.StartAsync(new Workflows.Runtime.StartWorkflowRequest(definition.DefinitionId)
        {
            Input = new JsonObject { ["form"] = form },
            Initiator = "rsj.applicant",
        });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        Assert.That(run.Value.FaultMessage, Is.Null);
        var outputs = (await Queries.GetInstanceAsync(run.Value.InstanceId))!.Outputs["authorize"]!;
        var id = Guid.Parse(outputs["authorizationId"]!.GetValue<string>());
        return (run.Value.InstanceId, (await Interfaces.GetAuthorizationAsync(id))!, outputs["appKey"]!.GetValue<string>());
    }

    /// <summary>The secret a step issued, as the credentials letter carries it.</summary>
    protected string IssuedSecret(Guid instanceId, string activityId = "authorize") =>
        AppSecrets.SecretFrom(Services.GetRequiredService<AccountSecrets>().IssuanceSecret($"{instanceId:N}/{activityId}"));

    protected async Task<List<OutboxRecord>> OutboxAsync(Guid? instanceId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Outbox.Where(m => m.InstanceId == instanceId).OrderBy(m => m.Type).ToListAsync();
    }
}
