namespace PdsWorkflow.Workflows.Calendar;

/// <summary>A holiday notice uploaded by an administrator, kept so that every Host node (and every restart) has it.</summary>
public sealed class NoticeRecord
{
    public int Year { get; set; }
    public required string NoticeNumber { get; set; }
    public required string Json { get; set; }
    public DateTime LoadedAt { get; set; }
    public required string LoadedBy { get; set; }
}
