using Microsoft.Extensions.DependencyInjection.Extensions;
using PdsWorkflow.Activities;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Accounts.FrontEnd;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Host.Api;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Host.Gateway;
using PdsWorkflow.Host.Security;
using PdsWorkflow.Host.Startup;
using PdsWorkflow.Host.Telemetry;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Statistics;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Workflows.Timers;

namespace PdsWorkflow.Host;

public static class HostRegistration
{
    /// <summary>
    /// Everything the product needs except the web front: the engine, the timers, the outbox dispatcher, the calendar, the
    /// start-up work and the demo data. The operator verbs pass <paramref name="timers"/> false: a command run by hand
    /// starts neither the Quartz scheduler nor the outbox dispatcher.
    /// </summary>
    public static IHostApplicationBuilder AddPdsWorkflowCore(this IHostApplicationBuilder builder, bool timers = true)
    {
        builder.Services.AddWorkflowEngine(builder.Configuration, database: o =>
        {
            // A relative database file is placed under the repository root, wherever the Host is started from.
            if (DatabaseDialect.Find(o.Provider) is { } dialect) o.ConnectionString = dialect.AnchorFiles(o.ConnectionString, ProductPaths.Anchor);
        });
        if (timers)
        {
            builder.Services.AddWorkflowTimers(builder.Configuration);
            builder.Services.AddOutboxDispatcher(builder.Configuration);
            builder.Services.AddInterfaceSweepJob(builder.Configuration);
            builder.Services.AddAuditArchiveJob(builder.Configuration);
            builder.Services.AddCheckpointSweepJob(builder.Configuration);
        }
        else
        {
            builder.Services.AddOutbox(builder.Configuration);
        }

        var calendar = builder.Configuration.GetSection("Calendar");
        builder.Services.AddOptions<WorkingDayCalendarOptions>().Bind(calendar);
        builder.Services.AddWorkingDayCalendar(o => o.NoticesPath = ProductPaths.Resolve(calendar["NoticesPath"] ?? o.NoticesPath));
        builder.Services.AddDeadlineRecomputation(runInBackground: timers);
        builder.Services.AddPdsActivities(builder.Configuration);
        builder.Services.AddPdsDemo<SignInPasswordHasher>(builder.Configuration, o =>
        {
            o.OrganizationFile = ProductPaths.Anchor(o.OrganizationFile);
            o.ApplicationsFile = ProductPaths.Anchor(o.ApplicationsFile);
            o.CatalogFile = ProductPaths.Anchor(o.CatalogFile);
        });
        builder.Services.AddDemoSeedStep<CatalogSeedStep>().AddDemoSeedStep<ApplicationsSeedStep>();
        builder.Services.AddDemoSeedStep<ExchangeSeedStep>();
        builder.Services.TryAddSingleton<Workflows.Organization.IUserPasswordHasher, SignInPasswordHasher>();
        builder.Services.PostConfigure<AccountsOptions>(o => o.SecretKeyFile = ProductPaths.Anchor(o.SecretKeyFile));
        builder.Services.PostConfigure<IntegrityOptions>(o =>
        {
            (o.SigningKeyFile, o.PublicKeysPath) = (ProductPaths.Anchor(o.SigningKeyFile), ProductPaths.Anchor(o.PublicKeysPath));
            if (o.Anchored) o.AnchorPath = ProductPaths.Anchor(o.AnchorPath);
        });
        builder.Services.PostConfigure<FrontEndOptions>(o => o.SqliteFolder = ProductPaths.Anchor(o.SqliteFolder));
        builder.Services.PostConfigure<Activities.Exchange.Data.ExchangeOptions>(o => (o.ProviderRoot, o.ReceivingRoot) = (ProductPaths.Anchor(o.ProviderRoot), ProductPaths.Anchor(o.ReceivingRoot)));
        builder.Services.AddForms(o => o.SchemasPath = ProductPaths.Resolve(builder.Configuration["Forms:SchemasPath"] ?? o.SchemasPath));
        builder.Services.PostConfigure<AttachmentOptions>(o => o.Path = ProductPaths.Anchor(o.Path));
        builder.Services.AddWorkflowAudit(builder.Configuration, o => o.ArchivePath = ProductPaths.Anchor(o.ArchivePath));
        builder.Services.AddCaseStatistics();
        builder.Services.AddOptions<DefinitionsOptions>().Bind(builder.Configuration.GetSection(DefinitionsOptions.Section));
        builder.Services.AddSingleton<DatabaseInitializer>();
        return builder;
    }

    /// <summary>The HTTP side: problem details, health checks and the API.</summary>
    public static WebApplicationBuilder AddPdsWorkflowWeb(this WebApplicationBuilder builder)
    {
        builder.AddPdsWorkflowCore();
        builder.AddPdsTelemetry();
        builder.AddPdsAuthentication();
        builder.AddHttpHardening();
        builder.Services.AddProblemDetails();
        builder.Services.AddPdsApi();
        builder.Services.AddInterfaceGateway();
        builder.Services.AddHealthChecks().AddCheck<Api.DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}
