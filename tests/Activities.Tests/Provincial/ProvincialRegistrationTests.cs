using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Notifications;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Outbox;

namespace PdsWorkflow.Activities.Tests.Provincial;

/// <summary>The provincial proxy's and the notifications' settings, checked at start-up; their outbox handlers.</summary>
public sealed class ProvincialRegistrationTests
{
    [Test]
    public void By_default_packages_wait_in_the_outbox_no_callback_is_accepted_and_every_notification_kind_has_a_handler()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<ProvincialOptions>>().Value;
        var dispatcher = provider.GetRequiredService<OutboxDispatcher>();

        Assert.That((options.IsConfigured, options.AcceptsCallbacks), Is.EqualTo((false, false)));
        Assert.That(dispatcher.DeliveredTypes, Does.Not.Contain(ProvincialForwardHandler.Type));
        Assert.That(dispatcher.DeliveredTypes, Is.SupersetOf(NotificationKinds.All.Select(k => k.Type)));
        Assert.That(provider.GetRequiredService<IProvincialPortal>(), Is.TypeOf<RecordingProvincialPortal>());
    }

    [Test]
    public void The_http_portal_is_used_when_configured()
    {
        using var provider = Build(new()
        {
            ["Provincial:Portal"] = "Http",
            ["Provincial:Endpoint"] = "https://portal.example.gov.cn/share/v1/forwarded-requests",
            ["Provincial:SharedSecret"] = new string('k', 40),
        });

        Assert.That(provider.GetRequiredService<IProvincialPortal>(), Is.TypeOf<HttpProvincialPortal>());
        Assert.That(provider.GetRequiredService<OutboxDispatcher>().DeliveredTypes, Does.Contain(ProvincialForwardHandler.Type));
    }

    [Test]
    public void Bad_settings_are_named_at_start_up()
    {
        using var provider = Build(new()
        {
            ["Provincial:Portal"] = "Http",
            ["Provincial:Endpoint"] = "portal.example.gov.cn",
            ["Provincial:SharedSecret"] = "short",
            ["Provincial:Timeout"] = "00:00:00",
            ["Notifications:SmsTypes:0"] = "notify.nothing",
        });

        var failure = Assert.Catch(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = (failure is AggregateException all ? all.InnerExceptions : [failure!]).Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.That(failures, Has.Some.StartsWith("Provincial:Endpoint 'portal.example.gov.cn'"));
        Assert.That(failures, Has.Some.StartsWith("Provincial:SharedSecret must be at least 32"));
        Assert.That(failures, Has.Some.StartsWith("Provincial:Timeout '00:00:00'"));
        Assert.That(failures, Has.Some.StartsWith("Notifications:SmsTypes names 'notify.nothing'"));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine(configuration);
        services.AddPdsActivities(configuration);
        services.AddOutbox(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
