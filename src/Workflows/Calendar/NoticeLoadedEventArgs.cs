namespace PdsWorkflow.Workflows.Calendar;

public sealed class NoticeLoadedEventArgs(NoticeLoadResult result) : EventArgs
{
    public NoticeLoadResult Result { get; } = result;

    public int Year => Result.Notice.Year;

    public bool ReplacedProvisional => Result.ReplacedProvisional;
}
