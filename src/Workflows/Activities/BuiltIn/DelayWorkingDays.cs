using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

/// <summary>
/// Waits N Chinese working days (the day it starts is not counted; it continues after the end of the Nth working day).
/// The bookmark remembers how its time was counted, so a holiday notice loaded later can move it.
/// </summary>
[Activity(TypeName, Category = BuiltInTypes.Events, DisplayName = "等待工作日", Description = "等待若干个工作日（按法定节假日与调休计算）后继续。")]
[Replayable]
public sealed class DelayWorkingDays : Activity
{
    public const string TypeName = "DelayWorkingDays";
    public const string BookmarkName = "Timer.WorkingDays";

    [Input(DisplayName = "工作日数", Required = true)]
    public Input<int> WorkingDays { get; set; } = default!;

    [Output(DisplayName = "到期时间")]
    public Output<DateTimeOffset> Deadline { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var days = context.Get(WorkingDays);
        if (days < 0) throw new InvalidOperationException($"工作日数不能为负数（{days}）。");
        var calendar = context.GetRequiredService<WorkingDayCalendar>();
        var from = context.Clock.GetUtcNow();
        var deadline = calendar.AddWorkingDays(from, days);
        context.Set(Deadline, deadline.Deadline);
        context.CreateBookmark(BookmarkName, payload: Spec(from, days, deadline), dueAt: deadline.Deadline.AddSeconds(1));
        if (deadline.IsProvisional) context.AddJournalNote($"到期时间依据尚未公布的 {string.Join("、", deadline.ProvisionalYears)} 年节假日安排推算，公布后将重新计算");
        return ValueTask.CompletedTask;
    }

    internal static JsonObject Spec(DateTimeOffset from, int days, DeadlineResult deadline) => new()
    {
        ["from"] = from,
        ["workingDays"] = days,
        ["deadline"] = deadline.Deadline,
        ["provisionalYears"] = new JsonArray(deadline.ProvisionalYears.Order().Select(y => (JsonNode)y).ToArray()),
    };
}
