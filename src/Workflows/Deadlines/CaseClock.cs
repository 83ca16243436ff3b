using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Deadlines;

/// <summary>
/// The legal clock of a whole case, kept with the instance. It starts when the case is received, stops while the case
/// is with the applicant for correction (time with the applicant is never charged), and stops when the case ends.
/// Each of its events is journaled.
/// </summary>
internal static class CaseClock
{
    public const string Key = "caseClock";

    private static readonly WorkflowResult<ClockChange>? NothingToDo = null;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static LegalClock? Read(WorkflowState state) => state.Data[Key]?.Deserialize<LegalClock>(Json);

    public static void Start(WorkflowExecution execution)
    {
        if (execution.Graph.Definition.CaseSla is not { } sla || Calendar(execution) is not { } calendar) return;
        var days = sla["workingDays"]?.GetValue<int>() ?? 0;
        if (days <= 0) return;
        var rule = Enum.TryParse<CorrectionRule>(sla["correctionRule"]?.GetValue<string>(), ignoreCase: true, out var r) ? r : CorrectionRule.Restart;
        var yellow = sla["yellowWhenRemaining"]?.GetValue<int>() ?? 1;
        Write(execution, LegalClock.Start(calendar, Now(execution), days, rule, yellow));
    }

    public static void ReturnForCorrection(WorkflowExecution execution, string reason, string? actor) =>
        Apply(execution, (clock, calendar) => clock.Phase == ClockPhase.Running ? clock.ReturnForCorrection(calendar, Now(execution), reason, actor) : NothingToDo);

    public static void Resubmit(WorkflowExecution execution, string? actor) =>
        Apply(execution, (clock, calendar) => clock.Phase == ClockPhase.WithApplicant ? clock.Resubmit(calendar, Now(execution), actor) : NothingToDo);

    public static void Stop(WorkflowExecution execution) =>
        Apply(execution, (clock, calendar) => clock.Phase == ClockPhase.Stopped ? NothingToDo : clock.Stop(calendar, Now(execution), execution.Actor));

    /// <summary>Runs a clock operation when the case has a clock; null means nothing to do, a refusal leaves the clock as it was.</summary>
    private static void Apply(WorkflowExecution execution, Func<LegalClock, WorkingDayCalendar, WorkflowResult<ClockChange>?> operation)
    {
        if (Read(execution.State) is not { } clock || Calendar(execution) is not { } calendar) return;
        if (operation(clock, calendar) is { IsSuccess: true } result) Write(execution, result.Value);
    }

    private static void Write(WorkflowExecution execution, ClockChange change)
    {
        execution.State.Data[Key] = JsonSerializer.SerializeToNode(change.Clock, Json);
        foreach (var clockEvent in change.Events)
            execution.Append(JournalEvents.Note, message: "全案时限：" + clockEvent.Message);
    }

    private static DateTimeOffset Now(WorkflowExecution execution) => new(execution.Now, TimeSpan.Zero);

    private static WorkingDayCalendar? Calendar(WorkflowExecution execution) => execution.Engine.Services.GetService<WorkingDayCalendar>();
}
