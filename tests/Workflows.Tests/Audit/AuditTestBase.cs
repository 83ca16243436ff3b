using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tests.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Audit;

/// <summary>The task fixture plus the auditor's services, with an archive folder of its own.</summary>
public abstract class AuditTestBase(DatabaseProvider provider) : TaskTestBase(provider)
{
    protected string ArchiveFolder { get; } = Path.Combine(Path.GetTempPath(), "pdsworkflow-tests", "archive", Guid.NewGuid().ToString("N"));

    protected AuditVerifier Auditor => Services.GetRequiredService<AuditVerifier>();
    protected InstanceMigrator Migrator => Services.GetRequiredService<InstanceMigrator>();
    protected JournalSnapshots Snapshots => Services.GetRequiredService<JournalSnapshots>();
    protected AuditQueries Search => Services.GetRequiredService<AuditQueries>();
    protected AuditRecordExport Export => Services.GetRequiredService<AuditRecordExport>();
    protected AuditArchiver Archiver => Services.GetRequiredService<AuditArchiver>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddWorkflowAudit(retention: o => o.ArchivePath = ArchiveFolder);
    }

    /// <summary>
    /// v1 of a provider review: a human step with a five-working-day limit, then a decision on the approver's
    /// comment, a variable set from the decision, and the end.
    /// </summary>
    protected static WorkflowDefinition Review(string id) => new DefinitionBuilder(id).Variable("verdict")
        .Add("start", "Start")
        .UserTask("review", Users("gaj.approver1"), sla: new JsonObject { ["workingDays"] = 5 })
        .Add("keep", "SetVariable", ("variable", DefinitionBuilder.Literal("verdict")), ("value", DefinitionBuilder.Js("outputs.review.decision + '/' + outputs.review.comment")))
        .Add("yes", "End", ("result", DefinitionBuilder.Js("variables.verdict")))
        .Add("no", "End", ("result", DefinitionBuilder.Literal("rejected")))
        .Chain("start", "review").Connect("review:Approve", "keep").Connect("keep", "yes").Connect("review:Reject", "no")
        .Build();
}
