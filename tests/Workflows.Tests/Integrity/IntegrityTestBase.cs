using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Workflows.Tests.Audit;
using PdsWorkflow.Workflows.Tests.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// The auditor's fixture with the outbox dispatcher (which delivers checkpoints to this fixture's anchor folder) and a
/// case that writes every covered table: task actions, form saves, two attachments, several messages.
/// </summary>
public abstract class IntegrityTestBase(DatabaseProvider provider) : AuditTestBase(provider)
{
    protected const string Applicant = "yx.applicant";
    protected const string Approver = "gaj.approver1";

    protected IntegrityVerifier Integrity => Services.GetRequiredService<IntegrityVerifier>();
    protected CheckpointSweep Sweep => Services.GetRequiredService<CheckpointSweep>();
    protected TaskAttachments Attachments => Services.GetRequiredService<TaskAttachments>();
    protected IntegrityOptions IntegritySettings => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IntegrityOptions>>().Value;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddOutbox();
    }

    /// <summary>
    /// The objection process: the applicant fills the report (a draft save, two files), submits it, urges the provider
    /// two hours later; the provider replies (unless <paramref name="finish"/> is false) and the case ends. Anchored.
    /// </summary>
    protected async Task<Guid> CaseAsync(bool finish = true)
    {
        var id = UniqueId("covered");
        var definition = new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("report", Initiator(), form: "data-objection", permissions: TaskFormTests.ReportOnly)
            .UserTask("reply", Users(Approver), form: "data-objection", permissions: TaskFormTests.ReplyOnly, sla: new() { ["workingDays"] = 3 })
            .Add("end", "End")
            .Chain("start", "report").Connect("report:Approve", "reply").Connect("reply:Approve", "end").Build();
        // A case clock, as the shipped processes have: it journals its own notes when the case starts, returns and ends.
        definition.CaseSla = new System.Text.Json.Nodes.JsonObject { ["workingDays"] = 10 };
        await PublishAsync(definition);
        var run = await StartAsAsync(id, Applicant);
        var report = await OpenTaskAsync(run.InstanceId, "report");
        Ok(await Tasks.SaveFormAsync(report.Id, Applicant, new System.Text.Json.Nodes.JsonObject { ["problemOther"] = "字段含义不清" }));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await Attachments.AttachAsync(report.Id, Applicant, "异议材料一.pdf", new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.4 材料一"))));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await Attachments.AttachAsync(report.Id, Applicant, "异议材料二.pdf", new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.4 材料二"))));
        Ok(await Tasks.ApproveAsync(report.Id, Applicant, "提交", FormExamples.ObjectionReportAsSent()));
        Clock.Advance(TimeSpan.FromHours(2));
        Ok(await Tasks.UrgeAsync(run.InstanceId, Applicant, "请尽快答复"));
        if (finish)
        {
            Clock.Advance(TimeSpan.FromHours(1));
            Ok(await Tasks.ApproveAsync((await OpenTaskAsync(run.InstanceId, "reply")).Id, Approver, "已更正", FormExamples.ObjectionReply()));
            Assert.That(await InstanceStatusAsync(run.InstanceId), Is.EqualTo(WorkflowStatus.Finished));
        }

        await AnchorAsync();
        return run.InstanceId;
    }

    /// <summary>Delivers the due outbox messages this fixture has handlers for: the checkpoints, to the anchor folder.</summary>
    protected Task<int> AnchorAsync() => Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);

    protected async Task<AuditVerification> VerifyAsync(Guid instance) =>
        await Auditor.VerifyAsync(instance) ?? throw new AssertionException($"instance {instance} not found");

    protected async Task<WorkflowDbContext> ContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    /// <summary>A context whose saves are not sealed: a database writer going around the platform.</summary>
    protected async Task<WorkflowDbContext> IntruderAsync()
    {
        var db = await ContextAsync();
        db.SealSuspended = true;
        return db;
    }

    protected async Task<List<T>> RowsAsync<T>(Func<WorkflowDbContext, IQueryable<T>> query)
    {
        await using var db = await ContextAsync();
        return await query(db).ToListAsync();
    }

    protected async Task<List<CheckpointRecord>> CheckpointsAsync(Guid instance)
    {
        var stream = StreamKeys.Instance(instance);
        return await RowsAsync(db => db.Checkpoints.AsNoTracking().Where(c => c.Stream == stream).OrderBy(c => c.Sequence));
    }

    /// <summary>Rewrites an instance's journal the way a database writer can: every hash recomputed, the head on the instance set to match.</summary>
    protected async Task RecomputeChainAsync(Guid instance, Action<List<JournalRecord>>? change = null)
    {
        await using var db = await IntruderAsync();
        var entries = await db.Journal.Where(j => j.InstanceId == instance).OrderBy(j => j.Sequence).ToListAsync();
        change?.Invoke(entries);
        var previous = "";
        foreach (var entry in entries)
        {
            entry.PreviousHash = previous;
            entry.Hash = JournalHasher.Compute(entry);
            previous = entry.Hash;
        }

        var row = await db.Instances.SingleAsync(i => i.Id == instance);
        row.JournalHeadHash = previous;
        row.JournalSequence = entries.Count == 0 ? 0 : entries[^1].Sequence;
        await db.SaveChangesAsync();
    }

    protected string AnchorFile(Guid instance, long sequence) =>
        Path.Combine(IntegritySettings.AnchorPath, "checkpoints", StreamKeys.Instance(instance), sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + ".json");
}
