namespace PdsWorkflow.Workflows.Calendar;

public sealed record NoticeParseResult(HolidayNotice? Notice, IReadOnlyList<NoticeValidationError> Errors)
{
    public bool IsValid => Notice is not null && Errors.Count == 0;

    internal static NoticeParseResult Failed(IReadOnlyList<NoticeValidationError> errors) => new(null, errors);
}
