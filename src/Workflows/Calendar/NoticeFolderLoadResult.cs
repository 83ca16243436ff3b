namespace PdsWorkflow.Workflows.Calendar;

/// <param name="Notices">The valid notices, ordered by year; a year with duplicate notices is left out.</param>
public sealed record NoticeFolderLoadResult(IReadOnlyList<HolidayNotice> Notices, IReadOnlyList<NoticeValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
