using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.Catalog;

/// <summary>
/// The catalog update process (<c>catalog-change</c>, 004 第十一条): a department updates its catalog within
/// <see cref="CatalogOptions.UpdateDutyWorkingDays"/> working days of a change of law or of its functions. The request
/// (form <c>catalog-change</c>) names one of the provider's published entries by id; what the case acts on comes from
/// the catalog, never from the client: the entry, its provider unit (the unit whose catalogers and department admins may
/// ask, and whose steps the case goes to), and the update's due date, counted by the working-day calendar from the
/// change date the request gives (which may not lie in the future).
/// </summary>
public sealed class CatalogChangeFacts(CatalogDatabase catalog, WorkingDayCalendar calendar, IOptions<CatalogOptions> options, TimeProvider clock)
    : IRecordedFactsSource
{
    public const string Definition = "catalog-change";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly string[] Derived = ["catalogEntryId", "providerOrgUnitId", "changeReason", "changeOccurredAt", "updateDueAt"];
    private static readonly string[] StartingRoles = [Roles.Cataloger, Roles.DepartmentAdmin];

    public bool Handles(string definitionId) => definitionId == Definition;

    public IReadOnlyCollection<string> Variables(string definitionId) => Handles(definitionId) ? Derived : [];

    public async Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = request.Form;
        var errors = new List<FormError>();
        var variables = new JsonObject(Derived.Select(name => KeyValuePair.Create(name, (JsonNode?)null)));
        var fields = new JsonObject { ["resourceCode"] = null, ["resourceName"] = null, ["providerName"] = null, ["updateDueOn"] = null };

        if (FormValues.Text(form, "catalogEntryId") is { } text)
        {
            var entry = await EntryAsync(request, text, errors, cancellationToken);
            if (entry is not null)
            {
                variables["catalogEntryId"] = entry.Value.Id.ToString();
                variables["providerOrgUnitId"] = entry.Value.Provider;
                fields["resourceCode"] = entry.Value.Code;
                fields["resourceName"] = entry.Value.Name;
                fields["providerName"] = entry.Value.ProviderName;
            }
        }

        if (FormValues.Text(form, "changeKind") is { } kind && FormValues.Text(form, "changeBasis") is { } basis)
            variables["changeReason"] = $"{(kind == "law" ? "法律法规修订" : "行政管理职能变化")}：{basis}";

        if (FormValues.Text(form, "changeOccurredOn") is { } dateText
            && DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Beijing).DateTime);
            var occurred = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Beijing);
            if (date > today)
                errors.Add(new FormError("changeOccurredOn", "futureDate", $"法律法规修订或职能变化日期不能晚于今天（{today:yyyy-MM-dd}）"));
            else if (date.Year < WorkingDayCalendar.FirstSupportedYear)
                errors.Add(new FormError("changeOccurredOn", "outOfCalendar", $"法律法规修订或职能变化日期不能早于 {WorkingDayCalendar.FirstSupportedYear} 年"));
            else
            {
                var due = calendar.AddWorkingDays(occurred, options.Value.UpdateDutyWorkingDays);
                variables["changeOccurredAt"] = occurred.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                variables["updateDueAt"] = due.Deadline.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                fields["updateDueOn"] = due.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        return new RecordedFacts { Variables = variables, FormFields = fields, Errors = errors };
    }

    private readonly record struct Entry(Guid Id, string Code, string Name, string Provider, string? ProviderName);

    /// <summary>The entry the request names, when the applicant may update it; else the field error that says why not.</summary>
    private async Task<Entry?> EntryAsync(RecordedFactsRequest request, string text, List<FormError> errors, CancellationToken ct)
    {
        const string field = "catalogEntryId";
        if (!Guid.TryParse(text, out var id))
        {
            errors.Add(new FormError(field, "unknownEntry", $"“{text}”不是有效的资源目录编号，请从资源目录中选择本单位已发布的目录。"));
            return null;
        }

        await using var cat = catalog.Join(request.Db);
        var entry = await cat.Entries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        var mayStart = entry is not null && await request.Db.UserRoles.AsNoTracking()
            .AnyAsync(r => r.UserId == request.Initiator && r.OrgUnitId == entry.ProviderOrgUnitId && StartingRoles.Contains(r.Role), ct);
        if (entry is null || !mayStart)
        {
            // Another unit's entry is answered as one the applicant cannot see: its provider decides on updating it.
            errors.Add(new FormError(field, "notProvider", "只有资源目录提供单位的编目人员或部门管理员可以为其发起目录更新；请从本单位已发布的目录中选择。"));
            return null;
        }

        var versions = await cat.Versions.AsNoTracking().Where(v => v.EntryId == id).OrderBy(v => v.Number)
            .Select(v => new { v.Number, v.Status, v.ResourceName }).ToListAsync(ct);
        if (versions.FirstOrDefault(v => v.Status == CatalogStatus.Published) is not { } published)
        {
            errors.Add(new FormError(field, "notPublished", "该目录尚未发布（或已撤销发布），不能按目录更新流程变更；未发布的目录请在编目流程中修改。"));
            return null;
        }

        if (versions.FirstOrDefault(v => v.Status is CatalogStatus.Draft or CatalogStatus.InReview or CatalogStatus.Registered or CatalogStatus.Returned) is { } open)
        {
            errors.Add(new FormError(field, "openVersion", $"该目录第{open.Number}版正在办理（{CatalogText.Name(open.Status)}），请办结后再发起更新。"));
            return null;
        }

        var providerName = await request.Db.OrgUnits.AsNoTracking().Where(u => u.Id == entry.ProviderOrgUnitId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        return new Entry(entry.Id, entry.ResourceCode, published.ResourceName, entry.ProviderOrgUnitId, providerName);
    }
}
