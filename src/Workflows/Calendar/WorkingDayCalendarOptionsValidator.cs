using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Calendar;

/// <summary>Checks the calendar settings at start-up, including every notice file the calendar will load.</summary>
public sealed class WorkingDayCalendarOptionsValidator : IValidateOptions<WorkingDayCalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkingDayCalendarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = nameof(WorkingDayCalendarOptions);

        if (options.EndOfDay == TimeOnly.MinValue)
        {
            failures.Add($"{prefix}.{nameof(options.EndOfDay)} is 00:00:00, which puts every deadline at the start of " +
                "its last working day; use the end of the day, e.g. 23:59:59 or 17:30:00.");
        }

        if (string.IsNullOrWhiteSpace(options.TimeZoneId))
        {
            failures.Add($"{prefix}.{nameof(options.TimeZoneId)} is empty; use {WorkingDayCalendarOptions.ShanghaiTimeZoneId}.");
        }
        else if (!CalendarTimeZone.TryFind(options.TimeZoneId, out _))
        {
            failures.Add($"{prefix}.{nameof(options.TimeZoneId)} '{options.TimeZoneId}' is not a time zone on this " +
                $"machine; use {WorkingDayCalendarOptions.ShanghaiTimeZoneId}.");
        }

        if (string.IsNullOrWhiteSpace(options.NoticesPath))
        {
            failures.Add($"{prefix}.{nameof(options.NoticesPath)} is empty; point it at the folder of notice files, " +
                "e.g. definitions/calendars/cn.");
        }
        else
        {
            var folder = Path.GetFullPath(options.NoticesPath);
            failures.AddRange(HolidayNoticeFolder.Load(folder).Errors
                .Select(error => $"{prefix}.{nameof(options.NoticesPath)} ({folder}): {error}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
