using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Demo;

/// <summary>The demo applications: started and submitted by demo users, waiting in the right inboxes; seeded once.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class DemoApplicationsTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private static string Demo(string file) => Path.Combine(ShippedData.RepositoryRoot, "definitions", "demo", file);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddPdsActivities(new ConfigurationBuilder().Build());
        services.AddPdsDemo<TestPasswordHasher>(new ConfigurationBuilder().Build(), o =>
        {
            o.OrganizationFile = Demo("organization.json");
            o.ApplicationsFile = Demo("applications.json");
            o.CatalogFile = Path.Combine(ShippedData.RepositoryRoot, "definitions", "catalog", "luohe-2020-batch1.json");
        });
        // The demo applications ask for the tables and the interface the exchange step mounts.
        services.AddDemoSeedStep<CatalogSeedStep>().AddDemoSeedStep<ExchangeSeedStep>().AddDemoSeedStep<ApplicationsSeedStep>();
        services.PostConfigure<PdsWorkflow.Activities.Accounts.FrontEnd.FrontEndOptions>(o => o.SqliteFolder = Path.Combine(Path.GetTempPath(), "pds-demo-frontend", Guid.NewGuid().ToString("N")));
    }

    [Test]
    public async Task The_demo_catalog_and_applications_are_seeded_once_and_wait_in_the_approvers_inboxes()
    {
        foreach (var module in Services.GetServices<IModuleDatabase>()) await module.MigrateAsync(CancellationToken.None);
        await Services.GetRequiredService<DefinitionImporter>().ImportDirectoryAsync(Path.Combine(ShippedData.RepositoryRoot, "definitions"));
        var seeder = Services.GetRequiredService<DemoSeeder>();

        var first = await seeder.SeedAsync(CancellationToken.None);
        var second = await seeder.SeedAsync(CancellationToken.None);

        Assert.That(first.Single(r => r.Step.StartsWith("在办申请", StringComparison.Ordinal)).Created, Has.Count.EqualTo(6));
        Assert.That(second.Sum(r => r.Created.Count), Is.Zero);
        Assert.That(first.Single(r => r.Step.StartsWith("资源目录", StringComparison.Ordinal)).Created, Has.Count.EqualTo(8));
        var published = await Services.GetRequiredService<PdsWorkflow.Activities.Catalog.CatalogService>()
            .SearchAsync(new PdsWorkflow.Activities.Catalog.CatalogQuery());
        Assert.That(published.Value.Total, Is.EqualTo(8));
        var provider = await Inbox.MyTasksAsync("gaj.approver", new InboxQuery());
        Assert.That(provider.Items.Select(t => t.ActivityId), Does.Contain("providerApproval"), "the county health commission's conditional subscription");
        Assert.That((await Inbox.MyTasksAsync("yx-sjj.admin", new InboxQuery())).Items.Select(t => t.ActivityId), Does.Contain("countyReview"));
        Assert.That((await Inbox.MyApplicationsAsync("mzj.contact")).Items, Has.Count.EqualTo(2));
    }
}
