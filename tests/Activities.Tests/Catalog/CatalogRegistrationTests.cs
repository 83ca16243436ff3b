using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Catalog;

public sealed class CatalogRegistrationTests
{
    [Test]
    public void The_catalog_activities_are_in_the_designer_under_their_category_with_Done_and_Refused()
    {
        using var provider = Build();

        var catalog = provider.GetRequiredService<ActivityRegistry>().Descriptors.Where(d => d.Type.StartsWith("Pds.Catalog.", StringComparison.Ordinal)).ToList();

        Assert.That(catalog.Select(d => d.Type), Is.EquivalentTo(new[]
        {
            "Pds.Catalog.SaveDraft", "Pds.Catalog.Submit", "Pds.Catalog.ReturnFromReview", "Pds.Catalog.Register", "Pds.Catalog.Return",
            "Pds.Catalog.Reopen", "Pds.Catalog.Publish", "Pds.Catalog.Withdraw", "Pds.Catalog.Revise", "Pds.Catalog.Mount",
        }));
        Assert.That(catalog.Select(d => d.Category), Has.All.EqualTo("资源目录"));
        Assert.That(catalog.Select(d => d.Outcomes), Has.All.EqualTo(new[] { Activity.Done, CatalogActivity.Refused }));
        Assert.That(catalog.Select(d => d.Description), Has.All.Not.Empty);
        var submit = catalog.Single(d => d.Type == "Pds.Catalog.Submit");
        Assert.That((submit.DisplayName, submit.Inputs.Single(i => i.Name == "entryId").Required), Is.EqualTo(("提交编审", true)));
        Assert.That(submit.Outputs.Select(o => o.Name), Is.SupersetOf(new[] { "catalogEntryId", "status", "refusalReason", "fieldErrors" }));
    }

    [Test]
    public void The_catalog_tables_are_a_module_database_migrated_at_start_up()
    {
        using var provider = Build();

        var module = provider.GetServices<IModuleDatabase>().Single(m => m.Name == "catalog");

        Assert.That((module.Name, module), Is.EqualTo(("catalog", provider.GetRequiredService<CatalogDatabase>())));
    }

    [Test]
    public void Bad_catalog_settings_are_named()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Catalog:UpdateDutyWorkingDays"] = "0", ["Catalog:MaxPageSize"] = "5000" });

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<CatalogOptions>>().Value);

        Assert.That(error!.Failures, Has.Some.StartsWith("Catalog:UpdateDutyWorkingDays").And.Some.StartsWith("Catalog:MaxPageSize"));
    }

    private static ServiceProvider Build(Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine();
        services.AddPdsActivities(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
