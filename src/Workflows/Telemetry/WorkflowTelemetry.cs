using System.Diagnostics;
using System.Diagnostics.Metrics;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Telemetry;

/// <summary>
/// The engine's traces and metrics (System.Diagnostics: no dependency on OpenTelemetry here; the Host's
/// <c>AddPdsTelemetry</c> listens when <c>Telemetry:Enabled</c>). Names are listed in docs/observability.md.
/// Nothing is recorded while no listener is attached, so the engine pays nothing when telemetry is off.
/// </summary>
public static class WorkflowTelemetry
{
    public const string Name = "PdsWorkflow.Engine";

    public const string DefinitionTag = "pds.definition.id";
    public const string VersionTag = "pds.definition.version";
    public const string InstanceTag = "pds.instance.id";
    public const string StatusTag = "pds.workflow.status";
    public const string StepTag = "pds.activity.id";
    public const string OutcomeTag = "pds.task.outcome";
    public const string MessageTypeTag = "pds.outbox.type";
    public const string ResultTag = "pds.outbox.result";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Bursts = Meter.CreateCounter<long>("pds.workflow.bursts", "{burst}", "Bursts of execution run (committed or not).");
    private static readonly Histogram<double> BurstDuration = Meter.CreateHistogram<double>("pds.workflow.burst.duration", "s", "Time one burst ran, without its commit.");
    private static readonly Counter<long> TasksCompleted = Meter.CreateCounter<long>("pds.tasks.completed", "{task}", "Human tasks completed (approved, rejected, returned…), counted after commit.");
    private static readonly Counter<long> SlaBreaches = Meter.CreateCounter<long>("pds.sla.breaches", "{breach}", "Steps whose working-day deadline passed, by definition and step, counted after commit.");
    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("pds.outbox.deliveries", "{message}", "Outbox delivery attempts by result: sent, retry or dead.");
    private static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("pds.outbox.dead_letters", "{message}", "Outbox messages that became dead letters.");
    private static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("pds.outbox.lag", "s", "From a message's enqueueing (its burst) to its delivery.");

    internal static Activity? StartWorkflow(string operation, string? definitionId)
    {
        var span = Source.StartActivity(operation);
        span?.SetTag(DefinitionTag, definitionId);
        return span;
    }

    internal static Activity? StartBurst(InstanceRecord instance, bool replay)
    {
        var span = Source.StartActivity("workflow.burst");
        if (span is null) return null;
        span.SetTag(InstanceTag, instance.Id.ToString());
        span.SetTag(DefinitionTag, instance.DefinitionId);
        span.SetTag(VersionTag, instance.DefinitionVersion);
        if (replay) span.SetTag("pds.replay", true);
        return span;
    }

    internal static void BurstEnded(Activity? span, InstanceRecord instance, TimeSpan elapsed)
    {
        span?.SetTag(StatusTag, instance.Status);
        if (instance.Status == WorkflowStatus.Faulted) span?.SetStatus(ActivityStatusCode.Error, instance.FaultMessage);
        var tags = new TagList { { DefinitionTag, instance.DefinitionId }, { StatusTag, instance.Status } };
        Bursts.Add(1, tags);
        BurstDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>What a unit of work did that is counted only once it has committed.</summary>
    internal sealed record Committed(IReadOnlyList<(string DefinitionId, string Step, string? Outcome)> Completions, IReadOnlyList<(string DefinitionId, string Step)> Breaches)
    {
        public void Record()
        {
            foreach (var (definition, step, outcome) in Completions)
                TasksCompleted.Add(1, new TagList { { DefinitionTag, definition }, { StepTag, step }, { OutcomeTag, outcome } });
            foreach (var (definition, step) in Breaches)
                SlaBreaches.Add(1, new TagList { { DefinitionTag, definition }, { StepTag, step } });
        }
    }

    /// <summary>Reads the completed tasks and the resumed breach timers from the unit of work's tracked rows, before its commit.</summary>
    internal static Committed? Collect(WorkflowDbContext db)
    {
        if (!TasksCompleted.Enabled && !SlaBreaches.Enabled) return null;
        // A unit of work detects its changes when it saves (WorkflowStore.InTransactionAsync): before that, only here.
        db.ChangeTracker.DetectChanges();
        var completions = db.ChangeTracker.Entries<TaskRecord>()
            .Where(e => e.Entity.Status == TaskStatuses.Completed && e.State == Microsoft.EntityFrameworkCore.EntityState.Modified
                        && (string?)e.Property(t => t.Status).OriginalValue != TaskStatuses.Completed)
            .Select(e => (e.Entity.DefinitionId, e.Entity.ActivityId, e.Entity.Outcome))
            .ToList();
        var breaches = db.ChangeTracker.Entries<JournalRecord>()
            .Where(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added && e.Entity.EventName == JournalEvents.ActivityResumed
                        && e.Entity.Message == UserTask.BreachBookmark && e.Entity.ActivityId is not null)
            .Select(e => (db.Instances.Local.FirstOrDefault(i => i.Id == e.Entity.InstanceId)?.DefinitionId ?? "", e.Entity.ActivityId!))
            .ToList();
        return new Committed(completions, breaches);
    }

    internal static Activity? StartDelivery(OutboxRecord record)
    {
        var span = Source.StartActivity("outbox.deliver", ActivityKind.Producer);
        if (span is null) return null;
        span.SetTag(MessageTypeTag, record.Type);
        span.SetTag("pds.outbox.attempt", record.Attempts + 1);
        if (record.InstanceId is { } instance) span.SetTag(InstanceTag, instance.ToString());
        return span;
    }

    internal static void Delivered(Activity? span, OutboxRecord record, string result, DateTime now)
    {
        span?.SetTag(ResultTag, result);
        if (result != "sent") span?.SetStatus(ActivityStatusCode.Error, record.LastError);
        Deliveries.Add(1, new TagList { { MessageTypeTag, record.Type }, { ResultTag, result } });
        if (result == "sent") OutboxLag.Record((now - record.CreatedAt).TotalSeconds, new TagList { { MessageTypeTag, record.Type } });
        if (result == "dead") DeadLetters.Add(1, new TagList { { MessageTypeTag, record.Type } });
    }
}
