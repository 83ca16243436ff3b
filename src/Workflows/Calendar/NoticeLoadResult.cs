namespace PdsWorkflow.Workflows.Calendar;

/// <param name="Errors">Why the notice was refused; empty when it was loaded.</param>
/// <param name="ReplacedNotice">The notice the same year had before, if any.</param>
/// <param name="PreviouslyProvisionalYears">
/// Years the notice sets days in that were provisional before it was loaded: pending deadlines that depended on
/// them should be recomputed.
/// </param>
/// <param name="ChangedYears">Years whose classification changed (any day, or whether the year is provisional).</param>
public sealed record NoticeLoadResult(
    HolidayNotice Notice,
    IReadOnlyList<NoticeValidationError> Errors,
    HolidayNotice? ReplacedNotice,
    IReadOnlyList<int> PreviouslyProvisionalYears,
    IReadOnlyList<int> ChangedYears)
{
    public bool Succeeded => Errors.Count == 0;

    public bool ReplacedProvisional => PreviouslyProvisionalYears.Contains(Notice.Year);

    internal static NoticeLoadResult Refused(HolidayNotice notice, IReadOnlyList<NoticeValidationError> errors) =>
        new(notice, errors, null, [], []);
}
