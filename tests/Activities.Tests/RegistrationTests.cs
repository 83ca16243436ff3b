using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;

namespace PdsWorkflow.Activities.Tests;

public sealed class RegistrationTests
{
    [Test]
    public void The_platform_modules_register_on_top_of_the_engine_and_build()
    {
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine();
        services.AddPdsActivities(new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.That(provider.GetRequiredService<ActivityRegistry>().Find("UserTask"), Is.Not.Null);
    }
}
