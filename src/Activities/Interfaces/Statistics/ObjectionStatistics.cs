using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Routing;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Interfaces.Statistics;

/// <summary>One objection reported in the period, as the bureau's statistics list it.</summary>
public sealed record ObjectionCaseRow(Guid InstanceId, string Status, string? ProviderOrgUnitId, string? ProviderName, string? ReporterOrgUnitId,
    string? ReporterName, string? ResourceCode, string? ResourceName, string? DiscoveredOn, string ReportedOn, string? ReportDeadline, bool Late,
    int WorkingDaysLate);

/// <summary>Per provider department: objections reported about its data in the period, and how many of them late.</summary>
public sealed record ObjectionProviderRow(string? OrgUnitId, string? OrgUnitName, int Reported, int Late);

public sealed record ObjectionStatisticsReport(DateOnly From, DateOnly To, int Reported, int Late, IReadOnlyList<ObjectionProviderRow> ByProvider,
    IReadOnlyList<ObjectionCaseRow> Cases);

/// <summary>
/// 001 第二十二条 with 000 三、3: the data objections reported in a period (by the day the platform recorded their
/// submission), and those reported more than 1 working day after the problem was found (<see cref="ObjectionFacts"/>).
/// Read from the cases of the <c>objection</c> process that were open at some time in the period.
/// </summary>
public sealed class ObjectionStatistics(WorkflowStore store, WorkflowQueries queries)
{
    public async Task<ObjectionStatisticsReport> ReportAsync(StatisticsPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        List<Guid> ids;
        Dictionary<string, string> names;
        await using (var db = await store.CreateContextAsync(cancellationToken))
        {
            ids = await db.Instances.AsNoTracking()
                .Where(i => i.DefinitionId == ObjectionFacts.Definition && i.ParentInstanceId == null && i.Status != WorkflowStatus.Cancelled
                            && i.CreatedAt < period.ToUtcExclusive && (i.FinishedAt == null || i.FinishedAt >= period.FromUtc))
                .OrderBy(i => i.CreatedAt).Select(i => i.Id).ToListAsync(cancellationToken);
            names = await db.OrgUnits.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        }

        var cases = new List<ObjectionCaseRow>();
        foreach (var id in ids)
        {
            if (await queries.GetInstanceAsync(id, cancellationToken) is not { } instance) continue;
            var timing = instance.Variables[ObjectionFacts.Variable] as JsonObject;
            if (FormValues.Text(timing, "reportedOn") is not { } reported
                || !DateOnly.TryParseExact(reported, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on)
                || on < period.From || on > period.To) continue;
            var form = instance.Variables["form"] as JsonObject;
            var provider = FormValues.Text(instance.Variables, "providerOrgUnitId");
            var reporter = FormValues.Text(instance.Variables["applicant"] as JsonObject, "orgUnitId");
            cases.Add(new ObjectionCaseRow(instance.Id, instance.Status, provider, provider is null ? null : names.GetValueOrDefault(provider, provider),
                reporter, reporter is null ? FormValues.Text(form, "reporterDepartment") : names.GetValueOrDefault(reporter, reporter),
                FormValues.Text(form, "resourceCode"), FormValues.Text(form, "resourceName"), FormValues.Text(timing, "discoveredOn"), reported,
                FormValues.Text(timing, "reportDeadline"),
                timing?["late"]?.GetValue<bool>() == true, timing?["workingDaysLate"]?.GetValue<int>() ?? 0));
        }

        var byProvider = cases.GroupBy(c => (c.ProviderOrgUnitId, c.ProviderName))
            .Select(g => new ObjectionProviderRow(g.Key.ProviderOrgUnitId, g.Key.ProviderName, g.Count(), g.Count(c => c.Late)))
            .OrderBy(r => r.OrgUnitName, StringComparer.Ordinal).ToList();
        return new ObjectionStatisticsReport(period.From, period.To, cases.Count, cases.Count(c => c.Late), byProvider, cases);
    }

    /// <summary>The cases as a table: Chinese headers, then one line per objection.</summary>
    public static (IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows) Table(ObjectionStatisticsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string[] headers = ["提供方", "反馈部门", "信息资源代码", "资源名称", "发现问题日期", "反馈日期", "应反馈截止日期", "是否逾期反馈", "逾期工作日", "流程实例"];
        var rows = report.Cases.Select(c => (IReadOnlyList<object?>)
        [
            c.ProviderName, c.ReporterName, c.ResourceCode, c.ResourceName, c.DiscoveredOn, c.ReportedOn, c.ReportDeadline, c.Late ? "是" : "否",
            c.WorkingDaysLate, c.InstanceId.ToString(),
        ]).ToList();
        return (headers, rows);
    }
}
