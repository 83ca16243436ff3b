using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Activities.BuiltIn;

[Activity(BuiltInTypes.Delay, Category = BuiltInTypes.Events, DisplayName = "延时", Description = "等待一段自然时间（例如 00:30:00）后继续。")]
[Replayable]
public sealed class Delay : Activity
{
    [Input(DisplayName = "时长", Description = "格式 天.时:分:秒，例如 1.00:00:00", Required = true)]
    public Input<TimeSpan> Duration { get; set; } = default!;

    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.CreateBookmark(Name, dueAt: context.Clock.GetUtcNow() + context.Get(Duration));
        return ValueTask.CompletedTask;
    }

    internal const string Name = "Timer.Delay";
}
