using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Api;

/// <summary>
/// Which fields of a case's form a caller may read, in every answer that carries the form (the tracking view, a task's
/// view): the field permissions of the steps are enforced here, not only by the web UI.
/// <list type="bullet">
/// <item>The bureau (scope "all": platform staff and auditors) reads the whole form.</item>
/// <item>Anybody else reads a field when a step that is theirs does not hide it: a step they hold, held, are a
/// candidate for or were copied from, a step acting for a unit in their scope, and the applicant's own step when the
/// case is theirs or their unit's. With no such step, a field any step hides stays hidden.</item>
/// <item>The work in progress of an open approval step (the fields it may edit) is read only by its holders until the
/// step is decided: a provider drafting its reply is not read by the applicant (the applicant's own step, returned for
/// correction, keeps showing what was submitted).</item>
/// </list>
/// </summary>
public sealed class FormVisibility(WorkflowDefinitionStore definitions)
{
    public async Task<Func<JsonObject?, JsonObject?>> ForAsync(WorkflowDbContext db, Caller caller, Guid instanceId, string definitionId, int version,
        string? initiator, IReadOnlyList<TaskRecord> tasks, CancellationToken ct)
    {
        if (caller.SeesAll) return form => (JsonObject?)form?.DeepClone();
        var definition = await definitions.GetAsync(definitionId, version, ct);
        var applicantSteps = definition?.Root.Activities
            .Where(a => a.Type == UserTask.TypeName && a.GetInput("assignment")?.Expression.Value?["kind"]?.GetValue<string>() == "initiator")
            .Select(a => a.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        var ids = tasks.Select(t => t.Id).ToList();
        var candidateOf = (await db.TaskCandidates.AsNoTracking().Where(c => c.UserId == caller.Id && ids.Contains(c.TaskId)).Select(c => c.TaskId)
            .ToListAsync(ct)).ToHashSet();
        var copiedFrom = (await db.CarbonCopies.AsNoTracking().Where(c => c.InstanceId == instanceId && c.UserId == caller.Id && c.TaskId != null)
            .Select(c => c.TaskId!.Value).ToListAsync(ct)).ToHashSet();
        var applicantSide = initiator == caller.Id || tasks.Any(t => t.ApplicantOrgUnitId is { } unit && caller.ScopeUnits.Contains(unit));

        bool Personal(TaskRecord t) => t.AssigneeId == caller.Id || t.OwnerId == caller.Id || t.CompletedBy == caller.Id || candidateOf.Contains(t.Id);
        var mine = tasks.Where(t => Personal(t) || copiedFrom.Contains(t.Id) || (t.OrgUnitId is { } unit && caller.ScopeUnits.Contains(unit))
                || (applicantSide && applicantSteps.Contains(t.ActivityId)))
            .Select(Permissions).OfType<FormPermissions>().ToList();
        var all = tasks.Select(Permissions).OfType<FormPermissions>().ToList();
        var drafting = tasks.Where(t => t.Status is TaskStatuses.Open or TaskStatuses.Waiting && !applicantSteps.Contains(t.ActivityId) && !Personal(t))
            .Select(Permissions).OfType<FormPermissions>().ToList();

        bool Visible(string key) =>
            (mine.Count > 0 ? mine.Any(p => p.For(key) != FieldPermission.Hidden) : all.All(p => p.For(key) != FieldPermission.Hidden))
            && drafting.All(p => p.For(key) != FieldPermission.Editable);

        return form => form is null ? null
            : new JsonObject(form.Where(p => Visible(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
    }

    private static FormPermissions? Permissions(TaskRecord task) =>
        task.FieldPermissionsJson is { } json ? JsonSerializer.Deserialize<FormPermissions>(json, FormSchemaJson.Options) : null;
}
