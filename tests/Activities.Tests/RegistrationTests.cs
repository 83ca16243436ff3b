using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Accounts.Delivery;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Accounts.Ftp;
using PdsWorkflow.Workflows.Outbox;

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

public sealed class AccountsRegistrationTests
{
    [Test]
    public void The_default_settings_are_valid_and_leave_delivery_waiting_until_configured()
    {
        using var provider = Build([]);

        Assert.DoesNotThrow(() =>
        {
            _ = provider.GetRequiredService<IOptions<AccountsOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<SmsOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<FtpOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<FrontEndOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<OutboxOptions>>().Value;
        });
        Assert.That(provider.GetRequiredService<OutboxDispatcher>().DeliveredTypes, Has.None.EqualTo(CredentialDelivery.EmailType).And.None.EqualTo(CredentialDelivery.SmsType),
            "no SMTP host, no SMS gateway: letters wait in the outbox");
    }

    [Test]
    public void Bad_settings_stop_start_up_and_are_each_named()
    {
        using var provider = Build(new()
        {
            ["Accounts:PlatformRole"] = "nobody",
            ["Accounts:SecretKey"] = "c2hvcnQ=",
            ["Delivery:SmtpHost"] = "mail.example.gov.cn",
            ["Delivery:SmtpPort"] = "0",
            ["Delivery:SmtpUserName"] = "pds",
            ["Delivery:SmtpStartTls"] = "true",
            ["Delivery:SmtpSecurity"] = "SslOnConnect",
            ["Delivery:SmtpServerCertificateSha256"] = "AB:CD",
            ["Sms:Provider"] = "Aliyun",
            ["Sms:AccessKeyId"] = "LTAI5t",
            ["Ftp:PasswdFile"] = "/etc/pure-ftpd/pureftpd.passwd",
            ["FrontEnd:Provider"] = "PostgreSql",
            ["Outbox:MaxAttempts"] = "0",
        });

        var failure = Assert.Catch(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = (failure is AggregateException all ? all.InnerExceptions : [failure!]).Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.That(failures, Has.Some.StartsWith("Accounts:PlatformRole 'nobody'"));
        Assert.That(failures, Has.Some.StartsWith("Accounts:SecretKey "));
        Assert.That(failures, Has.Some.StartsWith("Delivery:SmtpPort '0'"));
        Assert.That(failures, Has.Some.StartsWith("Delivery:SmtpUserName and Delivery:SmtpPassword"));
        Assert.That(failures, Has.Some.StartsWith("Delivery:SmtpStartTls is true but Delivery:SmtpSecurity is 'SslOnConnect'"));
        Assert.That(failures, Has.Some.StartsWith("Delivery:SmtpServerCertificateSha256 must be a SHA-256 fingerprint"));
        Assert.That(failures, Has.Some.StartsWith("Sms:AccessKeySecret is required"));
        Assert.That(failures, Has.Some.StartsWith("Sms:SignName is required"));
        Assert.That(failures, Has.Some.StartsWith("Sms:TemplateCode is required"));
        Assert.That(failures, Has.Some.StartsWith("Ftp:DatabaseFile is required"));
        Assert.That(failures, Has.Some.StartsWith("Ftp:Host is required"));
        Assert.That(failures, Has.Some.StartsWith("FrontEnd:ConnectionString is required"));
        Assert.That(failures, Has.Some.StartsWith("Outbox:MaxAttempts '0'"));
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
