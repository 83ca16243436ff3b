namespace PdsWorkflow.Workflows.Calendar;

internal static class DeadlineExplanation
{
    public static string Write(
        DateOnly receiptDate, int workingDays, DateTimeOffset deadline,
        IReadOnlyList<SkippedDays> skipped, IReadOnlySet<int> provisionalYears)
    {
        var text = workingDays == 0
            ? $"自{ZhText.Date(receiptDate)}收件，期限0个工作日，截止收件当日{ZhText.DateTime(deadline)}"
            : $"自{ZhText.Date(receiptDate)}收件次日起算{workingDays}个工作日，"
                + (skipped.Count == 0
                    ? ""
                    : $"跳过{string.Join("、", skipped.Select(run => $"{run.Reason} {ZhText.DateRange(run.From, run.To)}"))}，")
                + $"截止{ZhText.DateTime(deadline)}";

        return provisionalYears.Count == 0
            ? text
            : $"{text}（{string.Join("、", provisionalYears)}年的节假日安排尚未公布，暂按法定节假日推算，公布后将重新计算）";
    }
}
