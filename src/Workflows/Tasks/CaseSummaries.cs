using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// One line that tells a case from the others of its process in a list: the resource, interface or account it is about.
/// The engine does not know the forms' meaning: the platform registers its own (src/Activities); the default says nothing.
/// </summary>
public interface ICaseSummary
{
    /// <summary>
    /// The summary of a case of <paramref name="definitionId"/> from its variables (its form is <c>form</c>), or null when
    /// they say nothing useful yet.
    /// </summary>
    string? Summarize(string definitionId, JsonObject variables);
}

internal sealed class NoCaseSummary : ICaseSummary
{
    public string? Summarize(string definitionId, JsonObject variables) => null;
}

internal static class CaseSummaries
{
    public const int MaxLength = 200;

    /// <summary>The summary of the case's current form, cut to the column's length.</summary>
    public static string? Of(ICaseSummary summary, WorkflowExecution execution)
    {
        var text = summary.Summarize(execution.Instance.DefinitionId, execution.State.Variables)?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length <= MaxLength ? text : string.Concat(text.EnumerateRunes().Take(MaxLength - 1).Select(r => r.ToString())) + "…";
    }

    /// <summary>A case just started: its summary from the start input, on the instance and the tasks of its first burst.</summary>
    public static void OnStarted(ICaseSummary summary, WorkflowExecution execution)
    {
        var text = Of(summary, execution);
        execution.Instance.Summary = text;
        foreach (var task in execution.Db.Tasks.Local.Where(t => t.InstanceId == execution.Instance.Id)) task.Summary = text;
    }

    /// <summary>
    /// The form changed: the instance and the case's active tasks take its new summary (decided tasks keep the one they
    /// were decided with). <paramref name="tracked"/> is the task the command holds, written with the unit of work.
    /// </summary>
    public static async Task RefreshAsync(ICaseSummary summary, WorkflowExecution execution, TaskRecord tracked, CancellationToken cancellationToken)
    {
        var text = Of(summary, execution);
        if (text == execution.Instance.Summary && text == tracked.Summary) return;
        execution.Instance.Summary = text;
        tracked.Summary = text;
        var instanceId = execution.Instance.Id;
        await execution.Db.Tasks
            .Where(t => t.InstanceId == instanceId && t.Id != tracked.Id
                        && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Waiting || t.Status == TaskStatuses.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Summary, text), cancellationToken);
    }
}
