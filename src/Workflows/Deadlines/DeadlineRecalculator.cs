using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PdsWorkflow.Workflows.Activities.BuiltIn;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>A pending deadline that moved because a holiday notice replaced a provisional year.</summary>
public sealed record DeadlineChange(Guid InstanceId, string ActivityId, DateTimeOffset Before, DateTimeOffset After);

/// <summary>
/// Finds pending deadlines counted with a year that was provisional then and has a notice now (human steps' clocks and
/// working-day waits), recomputes them from their recorded history, moves their timers and journals each change.
/// Idempotent: a deadline that does not move is left alone, and one recomputed already is no longer provisional.
/// </summary>
public sealed class DeadlineRecalculator(WorkflowRuntime runtime, WorkflowEngine engine, WorkflowStore store, WorkingDayCalendar calendar,
    ILogger<DeadlineRecalculator> logger)
{
    public const string Actor = "system:calendar";

    public async Task<IReadOnlyList<DeadlineChange>> RecomputeStaleAsync(CancellationToken cancellationToken = default)
    {
        List<(Guid Instance, string Years)> tasks;
        List<(Guid Instance, string? Payload)> timers;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            tasks = (await db.Tasks.AsNoTracking().Where(t => t.ProvisionalYears != null && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending))
                .Select(t => new { t.InstanceId, t.ProvisionalYears }).ToListAsync(cancellationToken)).Select(t => (t.InstanceId, t.ProvisionalYears!)).ToList();
            timers = (await db.Bookmarks.AsNoTracking().Where(b => b.Name == DelayWorkingDays.BookmarkName && b.Status == BookmarkStatus.Open)
                .Select(b => new { b.InstanceId, b.PayloadJson }).ToListAsync(cancellationToken)).Select(b => (b.InstanceId, b.PayloadJson)).ToList();
        }

        var instances = tasks.Where(t => IsStale(ParseYears(t.Years))).Select(t => t.Instance)
            .Concat(timers.Where(t => IsStale(TimerYears(t.Payload))).Select(t => t.Instance))
            .Distinct().ToList();
        var changes = new List<DeadlineChange>();
        foreach (var instance in instances)
        {
            var result = await runtime.InTransactionAsync<List<DeadlineChange>>((db, ct) => RecomputeInstanceAsync(db, instance, ct), cancellationToken);
            if (result.IsSuccess) changes.AddRange(result.Value);
            else logger.LogWarning("Deadlines of instance {InstanceId} were not recomputed: {Error}", instance, result.Error!.Detail);
        }

        return changes;
    }

    private async Task<WorkflowResult<List<DeadlineChange>>> RecomputeInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken ct)
    {
        var loaded = await engine.LockAndLoadAsync(db, instanceId, Actor, ct);
        if (!loaded.IsSuccess) return loaded.Error!;
        var execution = loaded.Value;
        var changes = new List<DeadlineChange>();

        var tasks = await db.Tasks.Where(t => t.InstanceId == instanceId && t.ProvisionalYears != null
            && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending)).ToListAsync(ct);
        foreach (var step in tasks.Where(t => IsStale(ParseYears(t.ProvisionalYears!))).GroupBy(t => t.ActivityExecutionId))
        {
            var first = step.First();
            var clock = JsonSerializer.Deserialize<LegalClock>(first.ClockJson!, UserTask.Json)!;
            var recomputed = clock.Recompute(calendar, new DateTimeOffset(execution.Now, TimeSpan.Zero)).Clock;
            foreach (var task in step) SlaTimers.Apply(task, recomputed, calendar);
            if (recomputed.Deadline == clock.Deadline) continue;
            SlaTimers.Reschedule(execution, step.Key, recomputed, calendar, Actor);
            changes.Add(new DeadlineChange(instanceId, first.ActivityId, clock.Deadline, recomputed.Deadline));
            execution.Append(JournalEvents.Note, first.ActivityId, UserTask.TypeName, step.Key,
                inputs: new JsonObject { ["deadline"] = clock.Deadline }, outputs: new JsonObject { ["deadline"] = recomputed.Deadline },
                message: $"节假日安排已公布，办理时限由 {clock.Deadline:yyyy-MM-dd HH:mm} 重新计算为 {recomputed.Deadline:yyyy-MM-dd HH:mm}");
        }

        foreach (var timer in execution.OpenBookmarks.Where(b => b.Name == DelayWorkingDays.BookmarkName && IsStale(TimerYears(b.PayloadJson))).ToList())
        {
            var spec = JsonNode.Parse(timer.PayloadJson!)!;
            var before = spec["deadline"]!.GetValue<DateTimeOffset>();
            var deadline = calendar.AddWorkingDays(spec["from"]!.GetValue<DateTimeOffset>(), spec["workingDays"]!.GetValue<int>());
            execution.ReplaceTimer(timer, deadline.Deadline.AddSeconds(1),
                DelayWorkingDays.Spec(spec["from"]!.GetValue<DateTimeOffset>(), spec["workingDays"]!.GetValue<int>(), deadline).ToJsonString(JsonDefaults.Stored), Actor);
            if (deadline.Deadline == before) continue;
            changes.Add(new DeadlineChange(instanceId, timer.ActivityId, before, deadline.Deadline));
            execution.Append(JournalEvents.Note, timer.ActivityId, DelayWorkingDays.TypeName, timer.ActivityExecutionId,
                message: $"节假日安排已公布，等待期限由 {before:yyyy-MM-dd HH:mm} 重新计算为 {deadline.Deadline:yyyy-MM-dd HH:mm}");
        }

        execution.Save();
        return changes;
    }

    private bool IsStale(IEnumerable<int> provisionalYears) => provisionalYears.Any(year => !calendar.IsProvisional(year));

    private static IEnumerable<int> ParseYears(string years) =>
        years.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);

    private static IEnumerable<int> TimerYears(string? payload) =>
        payload is null ? [] : JsonNode.Parse(payload)?["provisionalYears"]?.AsArray().Select(n => n!.GetValue<int>()) ?? [];
}
