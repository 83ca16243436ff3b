using System.Globalization;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Activities.Routing;

/// <summary>
/// When a data objection was reported (000 三、3; 001 第十一条（三）): the demand side must report a problem within
/// 1 working day of finding it. The day it was found is the applicant's to say; the day it was reported is the day the
/// case was first submitted, recorded by the platform (a return for correction keeps it). A report after the deadline
/// is accepted but marked late (variable <see cref="Variable"/>, form fields <c>reportedOn</c>, <c>reportDeadline</c>,
/// <c>lateReport</c>), so that the provider sees it on its step and the bureau counts it in its statistics.
/// </summary>
public sealed class ObjectionFacts(WorkingDayCalendar calendar, TimeProvider clock) : IRecordedFactsSource
{
    public const string Definition = "objection";

    /// <summary><c>{discoveredOn, reportedOn, reportDeadline, late, workingDaysLate}</c>; dates as CCYY-MM-DD.</summary>
    public const string Variable = "reportTiming";

    /// <summary>000 三、3: 应在发现问题1个工作日内反馈.</summary>
    public const int ReportWithinWorkingDays = 1;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly string[] Derived = [Variable];

    public bool Handles(string definitionId) => definitionId == Definition;

    public IReadOnlyCollection<string> Variables(string definitionId) => Handles(definitionId) ? Derived : [];

    public Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = request.Form;
        // Reported: the first submission's day, kept on later saves; while the report is a draft, not yet.
        var reported = Date(form, "reportedOn") ?? (request.Final ? Today() : null);
        var discovered = Date(form, "discoveredOn");
        var fields = new JsonObject { ["reportedOn"] = Text(reported), ["reportDeadline"] = null, ["lateReport"] = null };
        var timing = new JsonObject { ["discoveredOn"] = Text(discovered), ["reportedOn"] = Text(reported) };
        if (discovered is not { } found)
            return Task.FromResult(new RecordedFacts { Variables = new JsonObject { [Variable] = null }, FormFields = fields });
        if (found.Year is < WorkingDayCalendar.FirstSupportedYear or > WorkingDayCalendar.LastSupportedYear)
            return Task.FromResult(RecordedFacts.Refused("discoveredOn", "outOfCalendar",
                $"发现问题日期应在 {WorkingDayCalendar.FirstSupportedYear} 年至 {WorkingDayCalendar.LastSupportedYear} 年之间"));

        var deadline = DateOnly.FromDateTime(calendar.AddWorkingDays(AtMidnight(found), ReportWithinWorkingDays).Deadline.DateTime);
        fields["reportDeadline"] = Text(deadline);
        timing["reportDeadline"] = Text(deadline);
        // A report before the discovery is the form's error (its compare rule); nothing to count then.
        if (reported is { } on && on >= found)
        {
            var late = on > deadline;
            fields["lateReport"] = late;
            timing["late"] = late;
            timing["workingDaysLate"] = late ? calendar.WorkingDaysBetween(AtMidnight(deadline), AtMidnight(on)).WorkingDays : 0;
        }

        return Task.FromResult(new RecordedFacts { Variables = new JsonObject { [Variable] = timing }, FormFields = fields });
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Beijing).DateTime);

    private static DateTimeOffset AtMidnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Beijing);

    private static DateOnly? Date(JsonObject form, string key) =>
        form[key] is JsonValue value && value.TryGetValue<string>(out var text)
        && DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static string? Text(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
