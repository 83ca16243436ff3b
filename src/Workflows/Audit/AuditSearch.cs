using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Audit;

/// <summary>
/// An auditor's search: every criterion is optional. <see cref="Department"/> is the applicant's unit by code or name (the initiator's,
/// or the applicant unit the human steps recorded); the period is the start time, <see cref="To"/> exclusive;
/// <see cref="Overdue"/> means a human step was decided after its deadline or is still open past it.
/// </summary>
public sealed record AuditSearch
{
    public const int MaxPageSize = 100;

    public string? DefinitionId { get; init; }
    public string? Applicant { get; init; }
    public string? Department { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public bool? Overdue { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
}

public sealed record AuditInstanceRow(
    Guid Id,
    string DefinitionId,
    string? ProcessName,
    int DefinitionVersion,
    string Status,
    string? CorrelationId,
    string? Applicant,
    string? ApplicantName,
    string? Department,
    string? DepartmentName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    bool Overdue)
{
    /// <summary>业务编号, given when the case was submitted.</summary>
    public string? BusinessNumber { get; init; }

    /// <summary>What the case is about (resource, interface, account).</summary>
    public string? Summary { get; init; }
}

public sealed record AuditPage(int Page, int PageSize, int Total, IReadOnlyList<AuditInstanceRow> Items);

public sealed class AuditQueries(WorkflowStore store, TimeProvider clock)
{
    private static readonly string[] Statuses =
        [WorkflowStatus.Running, WorkflowStatus.Suspended, WorkflowStatus.Finished, WorkflowStatus.Faulted, WorkflowStatus.Cancelled];

    public async Task<WorkflowResult<AuditPage>> SearchAsync(AuditSearch search, CancellationToken cancellationToken = default)
    {
        if (search.Page < 1) return Invalid("page", "页码应从 1 开始。");
        if (search.PageSize is < 1 or > AuditSearch.MaxPageSize) return Invalid("pageSize", $"每页条数应在 1 到 {AuditSearch.MaxPageSize} 之间。");
        if (search.Status is { } status && !Statuses.Contains(status))
            return Invalid("status", $"状态“{status}”无效，可选：{string.Join("、", Statuses)}。");
        // Instants outside the calendar's years cannot be counted or converted to UTC (0001-01-01+08:00 has no UTC).
        if (search.From is { Year: < WorkingDayCalendar.FirstSupportedYear or > WorkingDayCalendar.LastSupportedYear })
            return Invalid("from", $"开始时间应在 {WorkingDayCalendar.FirstSupportedYear} 至 {WorkingDayCalendar.LastSupportedYear} 年之间。");
        if (search.To is { Year: < WorkingDayCalendar.FirstSupportedYear or > WorkingDayCalendar.LastSupportedYear })
            return Invalid("to", $"结束时间应在 {WorkingDayCalendar.FirstSupportedYear} 至 {WorkingDayCalendar.LastSupportedYear} 年之间。");
        if (search.From is { } from && search.To is { } to && to <= from) return Invalid("to", "结束时间应晚于开始时间。");

        await using var db = await store.CreateContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var overdueTasks = db.Tasks.Where(t => t.DueAt != null && ((t.CompletedAt != null && t.CompletedAt > t.DueAt)
            || (t.CompletedAt == null && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending) && t.DueAt < now)));
        var query = db.Instances.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.DefinitionId)) query = query.Where(i => i.DefinitionId == search.DefinitionId);
        if (!string.IsNullOrWhiteSpace(search.Applicant))
        {
            // The applicant's sign-in name, or their name as people know it.
            var who = search.Applicant.Trim();
            query = query.Where(i => i.Initiator == who || db.Users.Any(u => u.Id == i.Initiator && u.DisplayName.Contains(who)));
        }
        if (!string.IsNullOrWhiteSpace(search.Department))
        {
            // The unit's code, or its name whole or in part: auditors know 市公安局, not gaj.
            var text = search.Department.Trim();
            var named = db.OrgUnits.Where(o => o.Id == text || o.Name.Contains(text)).Select(o => o.Id);
            query = query.Where(i => db.Users.Any(u => u.Id == i.Initiator && named.Contains(u.OrgUnitId))
                || db.Tasks.Any(t => t.InstanceId == i.Id && t.ApplicantOrgUnitId != null && named.Contains(t.ApplicantOrgUnitId)));
        }
        if (search.Status is not null) query = query.Where(i => i.Status == search.Status);
        if (search.From is { } start)
        {
            var at = start.UtcDateTime;
            query = query.Where(i => i.CreatedAt >= at);
        }

        if (search.To is { } end)
        {
            var at = end.UtcDateTime;
            query = query.Where(i => i.CreatedAt < at);
        }

        if (search.Overdue is { } overdue)
            query = overdue ? query.Where(i => overdueTasks.Any(t => t.InstanceId == i.Id)) : query.Where(i => !overdueTasks.Any(t => t.InstanceId == i.Id));

        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id)
            .Skip((search.Page - 1) * search.PageSize).Take(search.PageSize).ToListAsync(cancellationToken);

        var ids = page.Select(i => i.Id).ToList();
        var late = (await overdueTasks.Where(t => ids.Contains(t.InstanceId)).Select(t => t.InstanceId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var applicants = page.Select(i => i.Initiator).OfType<string>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => applicants.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var unitIds = users.Values.Select(u => u.OrgUnitId).Distinct().ToList();
        var units = await db.OrgUnits.AsNoTracking().Where(o => unitIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var versionIds = page.Select(i => i.DefinitionVersionId).Distinct().ToList();
        var names = await db.Definitions.AsNoTracking().Where(d => versionIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);

        var rows = page.Select(i =>
        {
            var user = i.Initiator is null ? null : users.GetValueOrDefault(i.Initiator);
            return new AuditInstanceRow(i.Id, i.DefinitionId, names.GetValueOrDefault(i.DefinitionVersionId), i.DefinitionVersion, i.Status, i.CorrelationId,
                i.Initiator, user?.DisplayName, user?.OrgUnitId, user is null ? null : units.GetValueOrDefault(user.OrgUnitId),
                Utc(i.CreatedAt), i.FinishedAt is { } f ? Utc(f) : null, late.Contains(i.Id)) { BusinessNumber = i.BusinessNumber, Summary = i.Summary };
        }).ToList();
        return new AuditPage(search.Page, search.PageSize, total, rows);
    }

    private static WorkflowError Invalid(string field, string message) =>
        new(WorkflowErrorKind.Invalid, "invalid_search", "查询条件有误", message) { Errors = [new DefinitionError("invalid_search", message, null, field)] };

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
