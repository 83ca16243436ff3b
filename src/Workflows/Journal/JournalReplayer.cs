using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Activities;
using PdsWorkflow.Workflows.Expressions;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Journal;

/// <summary>The first place where re-execution and record part.</summary>
public sealed record ReplayDifference(long Sequence, string Field, string? Recorded, string? Reproduced, string Message);

/// <summary>
/// What re-executing an instance from its recorded inputs gave. <see cref="SubstitutedTypes"/> were not run again (they
/// act on other systems): their recorded results stood in. <see cref="AdoptedEntries"/> are records of commands on
/// tasks (claim, form saves…) that are taken as recorded, not re-derived.
/// </summary>
public sealed record ReplayResult(
    bool Reproducible,
    long EntriesCompared,
    long EntriesReproduced,
    ReplayDifference? FirstDifference,
    IReadOnlyList<string> SubstitutedTypes,
    IReadOnlyList<long> AdoptedEntries);

/// <summary>
/// Re-executes an instance against the version(s) it was pinned to, feeding it the recorded inputs: the start input,
/// every resume payload with its actor, cancellations, incident retries, returns and migrations, at the recorded
/// times. It runs the real engine in a transaction on the product's database that is always rolled back, so nothing it
/// does (tasks, messages, module rows) survives. Each reproduced entry is compared with the recorded one: event,
/// activity, type, outcome, inputs, outputs, actor and message, and execution ids consistently paired.
/// </summary>
public sealed class JournalReplayer(
    WorkflowStore store,
    ActivityRegistry registry,
    IExpressionEvaluator evaluator,
    IServiceProvider services,
    IOptions<WorkflowEngineOptions> options,
    IEnumerable<IBookmarkObserver> observers,
    ILogger<WorkflowEngine> logger)
{
    public async Task<ReplayResult?> ReplayAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateContextAsync(cancellationToken);
        // Nothing of the shadow is committed: its saves are not sealed (no record digests, no checkpoints).
        db.SealSuspended = true;
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (instance is null) return null;
        var recorded = await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        var session = new ReplaySession(instanceId, recorded);
        var clock = new ReplayClock(() => Time(session, ShadowSequence(db)));
        var engine = new WorkflowEngine(registry, evaluator, clock, services, options, store, observers, logger) { Replay = session };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var replay = new Run(db, engine, session, instance);
        try
        {
            await replay.DriveAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Replaying history is allowed to hit anything the engine can; the verdict says where, the log says why.
            logger.LogWarning(ex, "Replay of instance {InstanceId} stopped at entry {Sequence}", instanceId, ShadowSequence(db) + 1);
            replay.Stop(ShadowSequence(db) + 1, "engine", $"第 {ShadowSequence(db) + 1} 条处重新执行出错：{ex.Message}");
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }

        return replay.Result();
    }

    /// <summary>
    /// How far the shadow has written. The clock asks at every journal entry, so this must not scan the change tracker
    /// (<c>DbSet.Local</c> runs DetectChanges over every tracked row, which made a long burst quadratic).
    /// </summary>
    private static long ShadowSequence(WorkflowDbContext db)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.Instances.Local.FirstOrDefault()?.JournalSequence ?? 0;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static DateTimeOffset Time(ReplaySession session, long index)
    {
        var entry = session.At(index) ?? session.At(session.Recorded.Count - 1);
        return entry is null ? DateTimeOffset.UnixEpoch : new DateTimeOffset(DateTime.SpecifyKind(entry.Timestamp, DateTimeKind.Utc));
    }

    private sealed class Run(WorkflowDbContext db, WorkflowEngine engine, ReplaySession session, InstanceRecord original)
    {
        private readonly Dictionary<Guid, Guid> _executionIds = [];
        private readonly List<long> _adopted = [];
        private ReplayDifference? _difference;
        private long _compared;
        private InstanceRecord? _shadow;

        private IReadOnlyList<JournalRecord> Recorded => session.Recorded;

        public void Stop(long sequence, string field, string message) =>
            _difference ??= new ReplayDifference(sequence, field, Describe(session.At(sequence - 1)), null, message);

        public ReplayResult Result() => new(_difference is null, Recorded.Count, _compared, _difference, session.SubstitutedTypes.ToList(), _adopted);

        public async Task DriveAsync(CancellationToken ct)
        {
            if (Recorded.Count == 0 || Recorded[0].EventName != JournalEvents.WorkflowStarted)
            {
                Stop(1, "eventName", "第 1 条不是流程发起记录，无法重新执行。");
                return;
            }

            var startVersion = Recorded.FirstOrDefault(e => e.EventName == JournalEvents.InstanceMigrated) is { } migrated
                ? JsonNode.Parse(migrated.InputsJson!)!["fromVersion"]!.GetValue<int>()
                : original.DefinitionVersion;
            var started = await engine.StartAsync(db, new StartWorkflowRequest(original.DefinitionId)
            {
                Input = Parse(Recorded[0].InputsJson) as JsonObject,
                CorrelationId = original.CorrelationId,
                Initiator = original.Initiator,
                Version = startVersion,
            }, original.ParentInstanceId, Recorded[0].Actor, ct);
            if (!started.IsSuccess)
            {
                Stop(1, "eventName", $"无法按版本 {startVersion} 重新发起：{started.Error!.Detail}");
                return;
            }

            _shadow = started.Value.Instance;
            await db.SaveChangesAsync(ct);
            while (Compare() && _shadow.JournalSequence < Recorded.Count)
            {
                var next = Recorded[(int)_shadow.JournalSequence];
                if (!await StepAsync(next, ct)) return;
                await db.SaveChangesAsync(ct);
            }
        }

        /// <summary>Feeds the recorded input that starts the next burst; false when the record holds something replay cannot feed.</summary>
        private async Task<bool> StepAsync(JournalRecord next, CancellationToken ct)
        {
            var shadowId = _shadow!.Id;
            var open = db.Bookmarks.Local.Where(b => b.InstanceId == shadowId && b.Status == BookmarkStatus.Open).ToList();
            WorkflowResult<WorkflowExecution>? burst = null;
            switch (next.EventName)
            {
                case JournalEvents.ActivityResumed:
                    var bookmark = open.FirstOrDefault(b => b.ActivityId == next.ActivityId && b.Name == next.Message);
                    if (bookmark is null)
                    {
                        Stop(next.Sequence, "activityId", $"第 {next.Sequence} 条记录在环节“{next.ActivityId}”的等待点（{next.Message}）继续，但重新执行时该环节并未在等待。");
                        return false;
                    }

                    burst = await engine.ResumeAsync(db, bookmark.Id, Parse(next.InputsJson), next.Actor, ct);
                    break;
                case JournalEvents.ActivityScheduled when next.Message is null
                                                          && open.FirstOrDefault(b => b.ActivityId == next.ActivityId && b.Name == BookmarkNames.Retry) is { } retry:
                    burst = await engine.ResumeAsync(db, retry.Id, null, next.Actor, ct);
                    break;
                case JournalEvents.WorkflowCancelled:
                    burst = await engine.CancelAsync(db, shadowId, next.Actor, next.Message, ct);
                    break;
                case JournalEvents.ActivityCancelled when CancellationAt(next.Sequence) is { } cancellation:
                    // A cancelled case records its waits cancelled first, then itself (a discarded draft, a withdrawal).
                    burst = await engine.CancelAsync(db, shadowId, cancellation.Actor, cancellation.Message, ct);
                    break;
                case JournalEvents.IncidentRetried:
                    var incident = db.Incidents.Local.FirstOrDefault(i => i.InstanceId == shadowId && i.ActivityId == next.ActivityId && i.Status == IncidentStatus.Open);
                    if (incident is null)
                    {
                        Stop(next.Sequence, "activityId", $"第 {next.Sequence} 条记录重试了环节“{next.ActivityId}”的故障，但重新执行时该环节没有故障。");
                        return false;
                    }

                    burst = await engine.RetryIncidentAsync(db, incident.Id, next.Actor, ct);
                    break;
                case JournalEvents.ActivityCancelled when ReturnAt(next.Sequence) is { } target:
                    var returning = await engine.LockAndLoadAsync(db, shadowId, next.Actor, ct);
                    burst = await engine.ReturnAsync(returning.Value, target.ActivityId, target.Payload ?? new JsonObject(), target.Reason, ct);
                    break;
                case JournalEvents.InstanceMigrated:
                    await MigrateAsync(next, ct);
                    return true;
                case JournalEvents.TaskAction or JournalEvents.Note:
                    await AdoptAsync(next, ct);
                    return true;
                default:
                    Stop(next.Sequence, "eventName", $"第 {next.Sequence} 条（{next.EventName}）不是由记录的输入引起的，重新执行无法得到它。");
                    return false;
            }

            if (!burst.Value.IsSuccess)
            {
                Stop(next.Sequence, "eventName", $"第 {next.Sequence} 条（{next.EventName}）无法重新执行：{burst.Value.Error!.Detail}");
                return false;
            }

            return true;
        }

        /// <summary>
        /// The case cancellation a run of cancelled waits starting at <paramref name="sequence"/> belongs to, if it does:
        /// the waits, then the case clock's notes (its stop), then the cancellation itself.
        /// </summary>
        private JournalRecord? CancellationAt(long sequence)
        {
            var index = (int)sequence - 1;
            while (index < Recorded.Count && Recorded[index].EventName == JournalEvents.ActivityCancelled) index++;
            while (index < Recorded.Count && Recorded[index] is { EventName: JournalEvents.Note, ActivityId: null }) index++;
            return index < Recorded.Count && Recorded[index].EventName == JournalEvents.WorkflowCancelled ? Recorded[index] : null;
        }

        /// <summary>
        /// A return (退回) is recorded as the cancelled waits, a note with the reason, the target scheduled afresh and
        /// started with the return payload.
        /// </summary>
        private (string ActivityId, string Reason, JsonNode? Payload)? ReturnAt(long sequence)
        {
            var index = (int)sequence - 1;
            while (index < Recorded.Count && Recorded[index].EventName == JournalEvents.ActivityCancelled) index++;
            if (index + 2 >= Recorded.Count) return null;
            var (note, scheduled, start) = (Recorded[index], Recorded[index + 1], Recorded[index + 2]);
            if (note.EventName != JournalEvents.Note || scheduled.EventName != JournalEvents.ActivityScheduled || start.EventName != JournalEvents.ActivityStarted
                || note.ActivityId is null || scheduled.ActivityId != note.ActivityId || start.ActivityId != note.ActivityId) return null;
            return (note.ActivityId, note.Message ?? "", Parse(start.InputsJson));
        }

        /// <summary>A case cancelled while steps waited is recorded as the cancelled waits, then the cancellation.</summary>
        private async Task MigrateAsync(JournalRecord entry, CancellationToken ct)
        {
            var recorded = JsonNode.Parse(entry.InputsJson!)!;
            var version = recorded["toVersion"]!.GetValue<int>();
            var target = await db.Definitions.AsNoTracking().FirstAsync(d => d.DefinitionId == original.DefinitionId && d.Version == version, ct);
            var mapping = (recorded["mapping"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
            var execution = (await engine.LockAndLoadAsync(db, _shadow!.Id, entry.Actor, ct)).Value;
            var tasks = await db.Tasks.Where(t => t.InstanceId == _shadow.Id).ToListAsync(ct);
            InstanceMigrator.ApplyMapping(execution, target, mapping, recorded["variables"] as JsonObject ?? [], tasks.Where(t => TaskStatuses.IsActive(t.Status)).ToList());
        }

        /// <summary>A recorded command on a task is taken as it is; a saved form changes the form variable as it did then.</summary>
        private async Task AdoptAsync(JournalRecord entry, CancellationToken ct)
        {
            var execution = (await engine.LockAndLoadAsync(db, _shadow!.Id, entry.Actor, ct)).Value;
            JournalState.ApplyFormSave(entry, execution.State.Variables, execution.State.Input);
            execution.Append(entry.EventName, entry.ActivityId, entry.ActivityType, entry.ActivityExecutionId is { } id ? Reproduced(id) : null,
                entry.Outcome, Parse(entry.InputsJson), Parse(entry.OutputsJson), entry.Message);
            execution.Save();
            _adopted.Add(entry.Sequence);
        }

        /// <summary>The shadow's execution id paired with a recorded one (a fresh one if the shadow has not met it).</summary>
        private Guid Reproduced(Guid recordedId)
        {
            foreach (var (shadowId, recordedPair) in _executionIds)
                if (recordedPair == recordedId) return shadowId;
            return recordedId;
        }

        /// <summary>
        /// Compares what the shadow wrote since the last comparison; false at the first difference. Compared entries are
        /// saved (in the transaction that is rolled back) and no longer needed in memory: they stop being tracked, so
        /// the work per burst does not grow with the length of the journal.
        /// </summary>
        private bool Compare()
        {
            var shadowId = _shadow!.Id;
            var produced = db.Journal.Local.Where(j => j.InstanceId == shadowId && j.Sequence > _compared).OrderBy(j => j.Sequence).ToList();
            foreach (var mine in produced)
            {
                var i = (int)mine.Sequence - 1;
                if (i >= Recorded.Count)
                {
                    _difference = new ReplayDifference(mine.Sequence, "sequence", null, Describe(mine),
                        $"重新执行多出第 {mine.Sequence} 条（{Describe(mine)}），记录到第 {Recorded.Count} 条为止。");
                    return false;
                }

                if (Difference(Recorded[i], mine) is { } difference)
                {
                    _difference = difference;
                    return false;
                }

                _compared = i + 1;
                if (db.Entry(mine).State == EntityState.Unchanged) db.Entry(mine).State = EntityState.Detached;
            }

            return true;
        }

        private ReplayDifference? Difference(JournalRecord recorded, JournalRecord mine)
        {
            ReplayDifference Differs(string field, string? was, string? now, string what) => new(recorded.Sequence, field, was, now,
                $"第 {recorded.Sequence} 条（{Describe(recorded)}）的{what}记录为“{was ?? "空"}”，按记录的输入重新执行得到“{now ?? "空"}”。");

            if (recorded.EventName != mine.EventName || recorded.ActivityId != mine.ActivityId)
                return Differs("eventName", Describe(recorded), Describe(mine), "事件");
            if (recorded.ActivityType != mine.ActivityType) return Differs("activityType", recorded.ActivityType, mine.ActivityType, "环节类型");
            if (recorded.Outcome != mine.Outcome) return Differs("outcome", recorded.Outcome, mine.Outcome, "结果");
            if (!SameJson(recorded.InputsJson, mine.InputsJson)) return Differs("inputs", recorded.InputsJson, mine.InputsJson, "输入");
            if (!SameJson(recorded.OutputsJson, mine.OutputsJson)) return Differs("outputs", recorded.OutputsJson, mine.OutputsJson, "输出");
            if (recorded.Actor != mine.Actor) return Differs("actor", recorded.Actor, mine.Actor, "操作人");
            if (recorded.Message != mine.Message) return Differs("message", recorded.Message, mine.Message, "说明");
            if (recorded.ActivityExecutionId is { } was && mine.ActivityExecutionId is { } now)
            {
                if (_executionIds.TryGetValue(now, out var paired) && paired != was)
                    return Differs("activityExecutionId", was.ToString(), paired.ToString(), "所属执行");
                _executionIds[now] = was;
            }
            else if (recorded.ActivityExecutionId.HasValue != mine.ActivityExecutionId.HasValue)
            {
                return Differs("activityExecutionId", recorded.ActivityExecutionId?.ToString(), mine.ActivityExecutionId?.ToString(), "所属执行");
            }

            return null;
        }

        private static bool SameJson(string? a, string? b) => a == b || (a is not null && b is not null && JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b)));
    }

    private static string? Describe(JournalRecord? entry) => entry is null ? null
        : entry.ActivityId is null ? entry.EventName : $"{entry.EventName} {entry.ActivityId}";

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
