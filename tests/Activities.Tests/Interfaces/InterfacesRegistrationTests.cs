using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Interfaces;

public sealed class InterfacesRegistrationTests
{
    [Test]
    public void The_module_migrates_its_tables_and_registers_its_activities()
    {
        using var provider = Build();

        Assert.That(provider.GetServices<IModuleDatabase>().Select(m => m.Name), Does.Contain("interfaces"));
        var types = provider.GetRequiredService<ActivityRegistry>().Descriptors.Select(d => d.Type);
        Assert.That(types, Is.SupersetOf(new[] { AuthorizeInterface.Type, RevokeInterfaceAuthorization.Type }));
    }

    [Test]
    public void Bad_settings_are_named()
    {
        using var provider = Build(new() { ["Interfaces:ReminderWorkingDays"] = "0", ["Interfaces:SweepCron"] = "every night" });

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<InterfacesOptions>>().Value);
        Assert.That(error!.Failures, Has.Some.Contains("Interfaces:ReminderWorkingDays").And.Some.Contains("Interfaces:SweepCron"));
    }

    [TestCase("59.207.101.21", "59.207.101.21", true)]
    [TestCase("10.8.0.0/16", "10.8.200.1", true)]
    [TestCase("10.8.0.0/16", "10.9.0.1", false)]
    [TestCase("240e:1::/32", "240e:1:abcd::5", true)]
    [TestCase("127.0.0.1", "::ffff:127.0.0.1", true)]
    [TestCase("::1", "127.0.0.1", false)]
    public void Source_addresses_match_single_addresses_and_networks(string allowed, string source, bool expected)
    {
        var (entries, invalid) = SourceAddresses.Parse(allowed);
        Assert.That(invalid, Is.Null);
        Assert.That(SourceAddresses.Allows(string.Join(',', entries), System.Net.IPAddress.Parse(source)), Is.EqualTo(expected));
    }

    private static ServiceProvider Build(Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine();
        services.AddPdsActivities(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
