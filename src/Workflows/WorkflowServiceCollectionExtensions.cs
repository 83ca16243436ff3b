using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Activities.BuiltIn;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Expressions;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>
    /// The engine: persistence, definitions and versions, runtime, journal and its tamper evidence, expressions and
    /// built-in activities. Settings come from the <c>Database</c>, <c>Expressions</c> and <c>Integrity</c> sections of <paramref name="configuration"/>, then
    /// from the delegates.
    /// </summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, IConfiguration? configuration = null,
        Action<WorkflowDatabaseOptions>? database = null, Action<WorkflowEngineOptions>? engine = null)
    {
        var databaseOptions = services.AddOptions<WorkflowDatabaseOptions>();
        var expressionOptions = services.AddOptions<ExpressionOptions>();
        if (configuration is not null)
        {
            databaseOptions.Bind(configuration.GetSection(WorkflowDatabaseOptions.Section));
            expressionOptions.Bind(configuration.GetSection(ExpressionOptions.Section));
        }

        if (database is not null) databaseOptions.Configure(database);
        databaseOptions.ValidateOnStart();
        expressionOptions.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExpressionOptions>, ExpressionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowDatabaseOptions>, WorkflowDatabaseOptionsValidator>());
        var attachmentOptions = services.AddOptions<AttachmentOptions>();
        if (configuration is not null) attachmentOptions.Bind(configuration.GetSection(AttachmentOptions.Section));
        attachmentOptions.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AttachmentOptions>, AttachmentOptionsValidator>());
        var engineOptions = services.AddOptions<WorkflowEngineOptions>();
        if (engine is not null) engineOptions.Configure(engine);

        services.AddWorkflowIntegrity(configuration);
        // Pooled: a unit of work leases a context whose services are set up already (each burst is one short lease).
        services.AddPooledDbContextFactory<WorkflowDbContext>((sp, builder) =>
        {
            WorkflowStore.Configure(builder, sp.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value);
            // The seal first: the batched inserts write what it attested.
            builder.AddInterceptors(sp.GetRequiredService<Integrity.IntegritySeal>(), sp.GetRequiredService<BatchedInserts>());
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IExpressionEvaluator, JavaScriptEvaluator>();
        services.TryAddSingleton<WorkflowStore>();
        services.TryAddSingleton<BatchedInserts>();
        services.TryAddSingleton<Audit.SecurityLog>();
        services.TryAddSingleton<Audit.SecurityLogQueries>();
        services.TryAddSingleton<ActivityRegistry>();
        services.TryAddSingleton<DefinitionValidator>();
        services.TryAddSingleton<WorkflowDefinitionStore>();
        services.TryAddSingleton<DefinitionImporter>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton<WorkflowRuntime>();
        services.TryAddSingleton<WorkflowQueries>();
        services.TryAddSingleton<JournalVerifier>();
        services.TryAddSingleton<JournalReplayer>();
        services.TryAddSingleton<AuditVerifier>();
        services.TryAddSingleton<JournalSnapshots>();
        services.TryAddSingleton<Definitions.InstanceMigrator>();
        services.TryAddSingleton<IBookmarkScheduler, SweepOnlyBookmarkScheduler>();
        services.TryAddSingleton<Organization.RoleNames>();
        services.AddAssignment();
        services.TryAddSingleton<AttachmentStore>();
        services.TryAddSingleton<TaskAttachments>();
        services.TryAddSingleton<TaskCommands>();
        services.TryAddSingleton<TaskService>();
        services.TryAddSingleton<Forms.RecordedFactsService>();
        services.TryAddSingleton<FormSubmissionChecker>();
        services.TryAddSingleton<TaskQueries>();
        services.TryAddSingleton<UserPhrases>();
        services.TryAddSingleton<AssignableUsers>();
        services.TryAddSingleton<ICaseSummary, NoCaseSummary>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBookmarkObserver, TaskBookmarkObserver>());
        services.AddHostedService<DueBookmarkPoller>();

        return services
            .AddActivity<Start>()
            .AddActivity<End>()
            .AddActivity<Decision>()
            .AddActivity<Switch>()
            .AddActivity<Fork>()
            .AddActivity<Join>()
            .AddActivity<SetVariable>()
            .AddActivity<WaitForEvent>()
            .AddActivity<Delay>()
            .AddActivity<DelayWorkingDays>()
            .AddActivity<Fault>()
            .AddActivity<RunWorkflow>()
            .AddActivity<UserTask>();
    }

    public static IServiceCollection AddActivity<T>(this IServiceCollection services) where T : Activity
    {
        services.AddSingleton(new ActivityRegistration(typeof(T)));
        return services;
    }
}
