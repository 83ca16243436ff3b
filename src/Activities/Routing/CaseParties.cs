using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Routing;

/// <summary>
/// The parties of a case as the platform's records settled them (<see cref="ApplicantFacts"/>, <see cref="ResourceFacts"/>):
/// what an exchange or authorisation step acts on, never a name or code typed into the form.
/// </summary>
public static class CaseParties
{
    /// <summary>The applicant's unit: the one its facts recorded, else the initiator's unit now.</summary>
    public static async Task<OrgUnitRecord> ApplicantUnitAsync(ActivityExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var units = context.Db.OrgUnits.AsNoTracking();
        var recorded = Text(context.GetVariable(ApplicantFacts.Variable) as JsonObject, "orgUnitId");
        var unit = recorded is not null
            ? await units.FirstOrDefaultAsync(u => u.Id == recorded, ct)
            : context.Initiator is { } initiator
                ? await (from u in context.Db.Users.AsNoTracking() join o in units on u.OrgUnitId equals o.Id where u.Id == initiator select o).FirstOrDefaultAsync(ct)
                : null;
        return unit ?? throw new WorkflowFaultException("找不到申请单位（申请人不属于任何单位），无法确定数据交给谁。");
    }

    /// <summary>The provider unit the case's facts recorded (variable <c>providerOrgUnitId</c>).</summary>
    public static async Task<OrgUnitRecord> ProviderUnitAsync(ActivityExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.GetVariable("providerOrgUnitId") is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var unit = id is null ? null : await context.Db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, context.CancellationToken);
        return unit ?? throw new WorkflowFaultException($"本申请没有平台根据资源目录确定的提供单位{(id is null ? "" : $"（{id}）")}，无法办理。");
    }

    private static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
