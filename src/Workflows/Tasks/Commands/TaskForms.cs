using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// A step's form inside a task command: a submission is checked against the step's form and permissions and merged into
/// the case's form (variable <c>form</c>), and the routing facts the platform derives from its records are recorded.
/// </summary>
internal sealed class TaskForms(IServiceProvider services)
{
    /// <summary>
    /// Checks <paramref name="submission"/> and merges it; null when it was applied (or there was none). Field errors come
    /// back as one refusal naming each field; nothing is written then.
    /// </summary>
    public async Task<WorkflowError?> ApplyAsync(TaskCommand c, JsonObject? submission, bool draft, CancellationToken ct)
    {
        if (submission is null) return null;
        if (await c.CheckDecisionAsync(ct) is { } refused) return refused;
        if (c.Task.FormId is not { } formId) return TaskErrors.Invalid("no_form", "该环节没有表单，不能提交表单内容。");
        var registry = services.GetService<Forms.FormSchemaRegistry>();
        if (registry is null || !registry.TryGet(formId, out var schema)) return TaskErrors.Invalid("form_not_found", $"表单“{formId}”不存在。");
        var permissions = c.Task.FieldPermissionsJson is { } json
            ? JsonSerializer.Deserialize<Forms.FormPermissions>(json, Forms.FormSchemaJson.Options)
            : null;
        var variables = c.Execution.State.Variables;
        var current = variables["form"] as JsonObject ?? c.Execution.State.Input["form"] as JsonObject ?? schema.CreateInitialData();
        var applicantStep = c.Execution.Graph.Find(c.Task.ActivityId) is { } node && UserTask.IsApplicantStep(node);
        var check = await services.GetRequiredService<FormSubmissionChecker>().CheckAsync(c.Db,
            new FormSubmission(c.Execution.Instance.DefinitionId, c.Execution.Instance.Initiator ?? c.Actor, schema, permissions, submission, current,
                c.Execution.Instance.Id, applicantStep, draft), ct);
        if (!check.IsValid) return Invalid(check, c.Task.ActivityId);

        RecordFacts(c, check.Variables);
        var changed = check.Data.Where(p => !JsonNode.DeepEquals(p.Value, current[p.Key])).Select(p => p.Key)
            .Concat(current.Where(p => !check.Data.ContainsKey(p.Key)).Select(p => p.Key)).ToList();
        if (changed.Count == 0 && variables["form"] is not null) return null;
        var before = new JsonObject(changed.Select(k => KeyValuePair.Create(k, current[k]?.DeepClone())));
        var after = new JsonObject(changed.Select(k => KeyValuePair.Create(k, check.Data[k]?.DeepClone())));
        variables["form"] = check.Data.DeepClone();
        await CaseSummaries.RefreshAsync(services.GetRequiredService<ICaseSummary>(), c.Execution, c.Task, ct);
        c.Db.TaskActions.Add(TaskAudit.Action(c.Task, TaskActions.SaveForm, c.Actor, c.Now, $"修改 {changed.Count} 个字段", before, after));
        c.Execution.Append(JournalEvents.TaskAction, c.Task.ActivityId, UserTask.TypeName, c.Task.ActivityExecutionId, TaskActions.SaveForm,
            before, after, $"修改 {changed.Count} 个字段");
        return null;
    }

    /// <summary>The refusal of a form: one error naming each field (problem details with <c>errors</c>).</summary>
    public static WorkflowError Invalid(FormSubmissionResult check, string? activityId) =>
        new(WorkflowErrorKind.Invalid, check.RefusalCode ?? "form_invalid", "表单填写有误", $"表单有 {check.Errors.Count} 处需要修改：{check.Errors[0].Message}")
        {
            Errors = check.Errors.Select(e => new DefinitionError(e.Code, e.Message, activityId, e.Field)).ToList(),
        };

    /// <summary>
    /// The variables the platform derived from its records for this case (routing: provider, share type, the applicant's
    /// unit…) replace whatever was there; a change is journaled (replay takes it as recorded, like a form save).
    /// </summary>
    private static void RecordFacts(TaskCommand c, JsonObject facts)
    {
        var variables = c.Execution.State.Variables;
        var changed = facts.Where(p => !JsonNode.DeepEquals(p.Value, variables[p.Key])).Select(p => p.Key).ToList();
        if (changed.Count == 0) return;
        var before = new JsonObject(changed.Select(k => KeyValuePair.Create(k, variables[k]?.DeepClone())));
        var after = new JsonObject(changed.Select(k => KeyValuePair.Create(k, facts[k]?.DeepClone())));
        foreach (var name in changed) variables[name] = facts[name]?.DeepClone();
        c.Execution.Append(JournalEvents.TaskAction, c.Task.ActivityId, UserTask.TypeName, c.Task.ActivityExecutionId, TaskActions.RecordFacts,
            before, after, "平台根据资源目录和组织机构记录确定办理路径");
    }
}
