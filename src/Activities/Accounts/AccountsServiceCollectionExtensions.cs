using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts.Delivery;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Accounts.Ftp;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// The account steps (P1/P2), what the platform settles from its records about the account an application names
    /// (<see cref="AccountFacts"/>), the front-end database and FTP adapters, and the credentials delivery: the outbox
    /// handlers of <see cref="CredentialDelivery.EmailType"/> (SMTP) and <see cref="CredentialDelivery.SmsType"/> (the
    /// SMS gateway). Settings: <c>Accounts</c>, <c>Delivery</c>, <c>Sms</c>, <c>Ftp</c> and <c>FrontEnd</c>, each
    /// validated at start-up. Platform accounts also need an <see cref="Workflows.Organization.IUserPasswordHasher"/>,
    /// which the Host provides.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Bind<AccountsOptions, AccountsOptionsValidator>(services, configuration, AccountsOptions.Section);
        Bind<DeliveryOptions, DeliveryOptionsValidator>(services, configuration, DeliveryOptions.Section);
        Bind<SmsOptions, SmsOptionsValidator>(services, configuration, SmsOptions.Section);
        Bind<FtpOptions, FtpOptionsValidator>(services, configuration, FtpOptions.Section);
        Bind<FrontEndOptions, FrontEndOptionsValidator>(services, configuration, FrontEndOptions.Section)
            .PostConfigure<IOptions<WorkflowDatabaseOptions>>((frontEnd, database) => FrontEndProvider.DefaultFrom(frontEnd, database.Value));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccountSecrets>();
        services.TryAddSingleton<ISmtpSender, SmtpMailSender>();
        services.TryAddSingleton<ISmsGateway, AliyunSmsGateway>();
        services.TryAddSingleton<IFtpAccounts, PureFtpdAccounts>();
        services.TryAddSingleton(FrontEndProvider.Create<IFrontEndDatabase, PostgresFrontEndDatabase, SqliteFrontEndDatabase>);
        services.AddOutboxHandler<CredentialEmailHandler>();
        services.AddOutboxHandler<CredentialSmsHandler>();
        services.AddRecordedFacts<AccountFacts>();
        return services
            .AddActivity<IssuePlatformAccount>()
            .AddActivity<IssueFrontEndAccount>();
    }

    private static OptionsBuilder<TOptions> Bind<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
