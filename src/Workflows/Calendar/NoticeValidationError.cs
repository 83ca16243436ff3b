namespace PdsWorkflow.Workflows.Calendar;

/// <param name="Source">The file or upload the notice came from, when known.</param>
/// <param name="Field">Where in the notice, e.g. periods[1].lastDayOff; empty for the notice as a whole.</param>
/// <param name="Message">zh-CN, shown to the admin who uploaded the notice.</param>
public sealed record NoticeValidationError(string? Source, string Field, string Message)
{
    public override string ToString()
    {
        var where = string.Join(" ", new[] { Source, Field }.Where(part => !string.IsNullOrEmpty(part)));
        return where.Length == 0 ? Message : $"{where}: {Message}";
    }
}
