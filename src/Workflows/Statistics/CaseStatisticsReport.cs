using System.Globalization;

namespace PdsWorkflow.Workflows.Statistics;

/// <summary>
/// Case figures of a period (see <see cref="CaseStatistics"/> for what each counts). <see cref="OnTimeRate"/> is a share
/// (0.875), null when nothing finished; <see cref="AverageWorkingDays"/> is rounded to one decimal, null when nothing finished.
/// </summary>
public sealed record CaseFigures(int Received, int Finished, int FinishedOnTime, double? OnTimeRate, double? AverageWorkingDays,
    int StepsDecided, int StepsDecidedLate, int StepsOverdueNow);

public sealed record ProcessCaseFigures(string DefinitionId, string ProcessName, CaseFigures Figures);

/// <summary>The steps a unit held: decided in the period, of which late, and open past their deadline now.</summary>
public sealed record UnitOverdueFigures(string? OrgUnitId, string OrgUnitName, int Decided, int DecidedLate, int OverdueNow);

public sealed record StepOverdueFigures(string DefinitionId, string ProcessName, string ActivityId, string StepName, int Decided, int DecidedLate, int OverdueNow);

/// <summary>Cases received and finished on one day (<c>2026-05-06</c>) or in one month (<c>2026-05</c>).</summary>
public sealed record TrendPoint(string Label, int Received, int Finished);

public sealed record CaseStatisticsReport(
    DateOnly From,
    DateOnly To,
    DateTimeOffset ComputedAt,
    CaseFigures Totals,
    IReadOnlyList<ProcessCaseFigures> ByProcess,
    IReadOnlyList<UnitOverdueFigures> OverdueByUnit,
    IReadOnlyList<StepOverdueFigures> OverdueByStep,
    string TrendUnit,
    IReadOnlyList<TrendPoint> Trend)
{
    /// <summary>
    /// The report as one table for the export writer (<see cref="Exports.TabularFile"/>): the totals, then a line per process,
    /// per unit and per step, each saying what it is in the first column; figures that do not apply to a line are empty.
    /// </summary>
    public (IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows) Table()
    {
        string[] headers =
        [
            "分类", "名称", "收件数", "办结数", "按时办结数", "按时办结率", "平均办理时长（工作日）", "期间已办环节数", "其中超期办结", "当前超期未办",
        ];
        var rows = new List<IReadOnlyList<object?>> { Case("合计", $"{From:yyyy-MM-dd} 至 {To:yyyy-MM-dd}", Totals) };
        rows.AddRange(ByProcess.Select(p => Case("流程", p.ProcessName, p.Figures)));
        rows.AddRange(OverdueByUnit.Select(u => (IReadOnlyList<object?>)["办理单位", u.OrgUnitName, null, null, null, null, null, u.Decided, u.DecidedLate, u.OverdueNow]));
        rows.AddRange(OverdueByStep.Select(s => (IReadOnlyList<object?>)
            ["环节", $"{s.ProcessName} · {s.StepName}", null, null, null, null, null, s.Decided, s.DecidedLate, s.OverdueNow]));
        return (headers, rows);
    }

    private static IReadOnlyList<object?> Case(string kind, string name, CaseFigures f) =>
    [
        kind, name, f.Received, f.Finished, f.FinishedOnTime, f.OnTimeRate is { } rate ? rate.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : null,
        f.AverageWorkingDays, f.StepsDecided, f.StepsDecidedLate, f.StepsOverdueNow,
    ];
}
