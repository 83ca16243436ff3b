using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Statistics;

/// <summary>
/// 办件统计 for the bureau (001 第二十二条 督办; issue #18): cases received and finished in a period, the share finished on
/// time, the average handling time in working days, and the late and overdue steps by the unit that held them and by step.
/// </summary>
/// <remarks>
/// The rules, stated once (docs/api.md repeats them):
/// a case is a top-level instance (a provincial request's child case counts with its parent); it is <b>received</b> on the
/// day it was submitted (got its 业务编号, <see cref="InstanceRecord.SubmittedAt"/>) and <b>finished</b> on the day it ended
/// as Finished (withdrawn and cancelled cases are not finished). A finished case is <b>on time</b> when none of its tasks
/// was decided after its deadline (the auditor's 超期 flag, <see cref="Audit.AuditQueries"/>). Its <b>handling time</b> is
/// the working days from submission to the end, counted as deadlines are (the day of submission not counted), time with
/// the applicant for correction included. A <b>step</b> is one execution of a human step (all its tasks): <b>decided
/// late</b> in the period when one of its tasks was decided in the period after its deadline, <b>overdue</b> when one of
/// its tasks is still open past its deadline now. Days are Beijing days, both ends of the period included.
/// </remarks>
public sealed class CaseStatistics(WorkflowStore store, WorkingDayCalendar calendar, TimeProvider clock)
{
    /// <summary>Periods up to this many days are charted per day, longer ones per month.</summary>
    public const int DailyTrendMaxDays = 62;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public async Task<CaseStatisticsReport> ReportAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), Beijing).UtcDateTime;
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing).UtcDateTime;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await store.CreateContextAsync(cancellationToken);

        var received = await db.Instances.AsNoTracking()
            .Where(i => i.ParentInstanceId == null && i.SubmittedAt >= start && i.SubmittedAt < end)
            .Select(i => new { i.DefinitionId, SubmittedAt = i.SubmittedAt!.Value }).ToListAsync(cancellationToken);
        var finishedCases = db.Instances.AsNoTracking()
            .Where(i => i.ParentInstanceId == null && i.Status == WorkflowStatus.Finished && i.FinishedAt >= start && i.FinishedAt < end);
        var finished = await finishedCases
            .Select(i => new { i.Id, i.DefinitionId, Since = i.SubmittedAt ?? i.CreatedAt, FinishedAt = i.FinishedAt!.Value }).ToListAsync(cancellationToken);
        var late = (await db.Tasks.AsNoTracking()
            .Where(t => finishedCases.Select(i => i.Id).Contains(t.InstanceId) && t.DueAt != null && t.CompletedAt != null && t.CompletedAt > t.DueAt)
            .Select(t => t.InstanceId).Distinct().ToListAsync(cancellationToken)).ToHashSet();

        var decided = await db.Tasks.AsNoTracking()
            .Where(t => t.DueAt != null && t.Status == TaskStatuses.Completed && t.CompletedAt >= start && t.CompletedAt < end)
            .Select(t => new StepTask(t.ActivityExecutionId, t.DefinitionId, t.ActivityId, t.OrgUnitId, t.CompletedAt > t.DueAt))
            .ToListAsync(cancellationToken);
        var overdue = await db.Tasks.AsNoTracking()
            .Where(t => t.DueAt != null && t.DueAt < now && t.CompletedAt == null
                        && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending))
            .Select(t => new StepTask(t.ActivityExecutionId, t.DefinitionId, t.ActivityId, t.OrgUnitId, true))
            .ToListAsync(cancellationToken);
        // One step execution counts once, however many people decided it (会签, 或签) or hold it.
        var decidedSteps = decided.GroupBy(t => t.Execution).Select(g => g.First() with { Late = g.Any(t => t.Late) }).ToList();
        var overdueSteps = overdue.GroupBy(t => t.Execution).Select(g => g.First()).ToList();

        var definitionIds = received.Select(r => r.DefinitionId).Concat(finished.Select(f => f.DefinitionId))
            .Concat(decidedSteps.Select(s => s.DefinitionId)).Concat(overdueSteps.Select(s => s.DefinitionId)).Distinct().ToList();
        var (processNames, stepNames) = await NamesAsync(db, definitionIds, cancellationToken);
        var unitIds = decidedSteps.Concat(overdueSteps).Select(s => s.OrgUnitId).OfType<string>().Distinct().ToList();
        var unitNames = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

        var handled = finished.Select(f => new Handled(f.DefinitionId, !late.Contains(f.Id), WorkingDays(f.Since, f.FinishedAt))).ToList();
        var receivedByProcess = received.ToLookup(r => r.DefinitionId);
        var handledByProcess = handled.ToLookup(h => h.DefinitionId);

        var totals = Figures(received.Count, handled, decidedSteps, overdueSteps);
        var byProcess = definitionIds
            .Select(id => new ProcessCaseFigures(id, processNames.GetValueOrDefault(id, id),
                Figures(receivedByProcess[id].Count(), handledByProcess[id].ToList(), decidedSteps.Where(s => s.DefinitionId == id).ToList(),
                    overdueSteps.Where(s => s.DefinitionId == id).ToList())))
            .OrderByDescending(p => p.Figures.Received).ThenBy(p => p.ProcessName, StringComparer.Ordinal).ToList();
        var byUnit = decidedSteps.Concat(overdueSteps).Select(s => s.OrgUnitId).Distinct()
            .Select(unit => Overdue(decidedSteps.Where(s => s.OrgUnitId == unit).ToList(), overdueSteps.Where(s => s.OrgUnitId == unit).ToList(),
                (d, l, o) => new UnitOverdueFigures(unit, unit is null ? "未指定单位" : unitNames.GetValueOrDefault(unit, unit), d, l, o)))
            .Where(u => u.DecidedLate + u.OverdueNow > 0)
            .OrderByDescending(u => u.DecidedLate + u.OverdueNow).ThenBy(u => u.OrgUnitName, StringComparer.Ordinal).ToList();
        var byStep = decidedSteps.Concat(overdueSteps).Select(s => (s.DefinitionId, s.ActivityId)).Distinct()
            .Select(key => Overdue(decidedSteps.Where(s => (s.DefinitionId, s.ActivityId) == key).ToList(),
                overdueSteps.Where(s => (s.DefinitionId, s.ActivityId) == key).ToList(),
                (d, l, o) => new StepOverdueFigures(key.DefinitionId, processNames.GetValueOrDefault(key.DefinitionId, key.DefinitionId), key.ActivityId,
                    stepNames.GetValueOrDefault((key.DefinitionId, key.ActivityId), key.ActivityId), d, l, o)))
            .Where(s => s.DecidedLate + s.OverdueNow > 0)
            .OrderByDescending(s => s.DecidedLate + s.OverdueNow).ThenBy(s => s.ProcessName, StringComparer.Ordinal).ThenBy(s => s.StepName, StringComparer.Ordinal).ToList();

        var daily = to.DayNumber - from.DayNumber < DailyTrendMaxDays;
        var trend = Buckets(from, to, daily).Select(bucket => new TrendPoint(bucket.Label,
            received.Count(r => bucket.Contains(Day(r.SubmittedAt))), finished.Count(f => bucket.Contains(Day(f.FinishedAt))))).ToList();
        return new CaseStatisticsReport(from, to, clock.GetUtcNow().ToOffset(Beijing), totals, byProcess, byUnit, byStep, daily ? "day" : "month", trend);
    }

    private static CaseFigures Figures(int received, IReadOnlyList<Handled> handled, IReadOnlyList<StepTask> decided, IReadOnlyList<StepTask> overdue)
    {
        var onTime = handled.Count(h => h.OnTime);
        var counted = handled.Where(h => h.WorkingDays is not null).Select(h => h.WorkingDays!.Value).ToList();
        return new CaseFigures(received, handled.Count, onTime, handled.Count == 0 ? null : Math.Round((double)onTime / handled.Count, 4),
            counted.Count == 0 ? null : Math.Round(counted.Average(), 1), decided.Count, decided.Count(s => s.Late), overdue.Count);
    }

    private static T Overdue<T>(IReadOnlyList<StepTask> decided, IReadOnlyList<StepTask> overdue, Func<int, int, int, T> make) =>
        make(decided.Count, decided.Count(s => s.Late), overdue.Count);

    private int? WorkingDays(DateTime from, DateTime to)
    {
        var (start, end) = (new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(to, DateTimeKind.Utc)));
        if (end < start) return 0;
        try
        {
            return calendar.WorkingDaysBetween(start, end).WorkingDays;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // a date outside the calendar's years: not averaged
        }
    }

    private static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Beijing).DateTime);

    private static IEnumerable<Bucket> Buckets(DateOnly from, DateOnly to, bool daily)
    {
        if (daily)
        {
            for (var day = from; day <= to; day = day.AddDays(1)) yield return new Bucket(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day, day);
            yield break;
        }

        for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
        {
            var last = month.AddMonths(1).AddDays(-1);
            yield return new Bucket(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), month < from ? from : month, last > to ? to : last);
        }
    }

    /// <summary>The latest name of each process, and the names of its steps in any of its versions (the latest version's name wins).</summary>
    private static async Task<(Dictionary<string, string>, Dictionary<(string, string), string>)> NamesAsync(WorkflowDbContext db,
        IReadOnlyList<string> definitionIds, CancellationToken cancellationToken)
    {
        var versions = await db.Definitions.AsNoTracking().Where(d => definitionIds.Contains(d.DefinitionId))
            .OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).Select(d => new { d.DefinitionId, d.Name, d.Json }).ToListAsync(cancellationToken);
        var processes = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = new Dictionary<(string, string), string>();
        foreach (var version in versions)
        {
            if (version.Name is { Length: > 0 } name) processes[version.DefinitionId] = name;
            foreach (var node in DefinitionSerializer.Deserialize(version.Json).Root.Activities)
                if (node.Name is { Length: > 0 } stepName) steps[(version.DefinitionId, node.Id)] = stepName;
        }

        return (processes, steps);
    }

    private sealed record StepTask(Guid Execution, string DefinitionId, string ActivityId, string? OrgUnitId, bool Late);

    private sealed record Handled(string DefinitionId, bool OnTime, int? WorkingDays);

    private sealed record Bucket(string Label, DateOnly First, DateOnly Last)
    {
        public bool Contains(DateOnly day) => day >= First && day <= Last;
    }
}
