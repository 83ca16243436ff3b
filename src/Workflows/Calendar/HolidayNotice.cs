namespace PdsWorkflow.Workflows.Calendar;

/// <summary>A State Council notice on a year's holidays (国务院办公厅关于某年部分节假日安排的通知).</summary>
/// <param name="NoticeNumber">The document number, e.g. 国办发明电〔2025〕7号.</param>
/// <param name="Source">The notice's title.</param>
public sealed record HolidayNotice(
    int Year,
    string NoticeNumber,
    DateOnly PublishedOn,
    string Source,
    IReadOnlyList<HolidayPeriod> Periods)
{
    // Copied so that a notice the calendar has validated cannot change under it.
    public IReadOnlyList<HolidayPeriod> Periods { get; init => field = [.. value]; } = [.. Periods];
}
