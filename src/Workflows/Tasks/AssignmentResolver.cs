using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>The facts of a case that assignment reads: who applied, and the case's variables over its start input.</summary>
public sealed record CaseFacts(string? Initiator, JsonObject Variables)
{
    /// <summary>The variable holding the applicant's unit when the platform derived it from its records.</summary>
    public const string ApplicantUnitVariable = "applicantOrgUnitId";

    internal static CaseFacts Of(Runtime.WorkflowExecution execution)
    {
        var merged = (JsonObject)execution.State.Input.DeepClone();
        foreach (var (name, value) in execution.State.Variables) merged[name] = value?.DeepClone();
        return new CaseFacts(execution.Instance.Initiator, merged);
    }

    public string? Variable(string name) => Variables[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>The users a step goes to, the unit it acts for, and a note when the fallback was used.</summary>
public sealed record ResolvedAssignment(string? OrgUnitId, IReadOnlyList<string> Users, string? Note);

/// <summary>
/// Turns an <see cref="AssignmentSpec"/> into users, scoped to an organisation unit that a registered
/// <see cref="IAssignmentScope"/> resolves from the case. A unit of a kind in
/// <see cref="AssignmentOptions.KindsActingThroughParent"/> with nobody in the role acts through its parent. Nobody at
/// all: the spec's own fallbacks, then <see cref="AssignmentOptions.Fallback"/>, with a note.
/// </summary>
public sealed class AssignmentResolver(AssignmentScopes scopes, IOptions<AssignmentOptions> options, RoleNames roleNames)
{
    private readonly AssignmentOptions _options = options.Value;

    public async Task<ResolvedAssignment> ResolveAsync(WorkflowDbContext db, CaseFacts facts, AssignmentSpec spec, CancellationToken cancellationToken)
    {
        var first = await ResolveOnceAsync(db, facts, spec, cancellationToken);
        if (first.Users.Count > 0) return first;

        // Down the chain of fallbacks, ending with the configured one.
        var last = _options.Fallback;
        var tried = new List<string> { await DescribeAsync(db, spec, first.OrgUnitId, cancellationToken) };
        for (var fallback = spec.Fallback ?? last; fallback is not null; fallback = fallback.Fallback ?? last)
        {
            var next = await ResolveOnceAsync(db, facts, fallback, cancellationToken);
            var described = await DescribeAsync(db, fallback, next.OrgUnitId, cancellationToken);
            if (next.Users.Count > 0 || fallback == last)
                return next with { Note = $"无人匹配“{string.Join("”“", tried)}”，已转“{described}”" };
            tried.Add(described);
        }

        return first;
    }

    /// <summary>Who decides an extension (延期) of a step: its SLA's <c>extensionApprovers</c>, else <see cref="AssignmentOptions.Fallback"/>.</summary>
    public async Task<IReadOnlyList<string>> ExtensionApproversAsync(WorkflowDbContext db, CaseFacts facts, SlaSpec? sla, CancellationToken cancellationToken) =>
        (sla?.ExtensionApprovers ?? _options.Fallback) is { } spec ? (await ResolveAsync(db, facts, spec, cancellationToken)).Users : [];

    /// <summary>The unit a scope names for this case, or null when the case does not say.</summary>
    public Task<string?> ScopeUnitAsync(WorkflowDbContext db, CaseFacts facts, string? scope, string? literal, CancellationToken cancellationToken) =>
        scopes.UnitAsync(new AssignmentScopeContext(db, facts, literal), scope, cancellationToken);

    private async Task<ResolvedAssignment> ResolveOnceAsync(WorkflowDbContext db, CaseFacts facts, AssignmentSpec spec, CancellationToken cancellationToken)
    {
        switch (spec.Kind)
        {
            case "users":
                return new ResolvedAssignment(null, await ActiveAsync(db, spec.Users ?? [], cancellationToken), null);
            case "initiator":
                return new ResolvedAssignment(await ApplicantUnitIdAsync(db, facts, cancellationToken),
                    await ActiveAsync(db, facts.Initiator is null ? [] : [facts.Initiator], cancellationToken), null);
            case "formField":
                var named = (facts.Variables["form"] as JsonObject)?[spec.Field ?? ""] is JsonValue v && v.TryGetValue<string>(out var user) ? user : null;
                return new ResolvedAssignment(null, await ActiveAsync(db, named is null ? [] : [named], cancellationToken), null);
            case "role":
                var role = spec.Role ?? throw new InvalidOperationException("按角色分配时必须指定角色。");
                var unit = await ScopeUnitAsync(db, facts, spec.Scope, spec.OrgUnit, cancellationToken);
                if (!AssignmentScopes.IsAnywhere(spec.Scope) && unit is null) return new ResolvedAssignment(null, [], null);
                var users = await RoleHoldersAsync(db, role, unit, cancellationToken);
                if (users.Count == 0 && unit is not null && await ParentActingForAsync(db, unit, cancellationToken) is { } parent)
                    return new ResolvedAssignment(parent, await RoleHoldersAsync(db, role, parent, cancellationToken), null);
                return new ResolvedAssignment(unit, users, null);
            default:
                throw new InvalidOperationException($"未知的分配方式“{spec.Kind}”。");
        }
    }

    /// <summary>The applicant's unit (the variable <c>applicantOrgUnitId</c>, else the initiator's) with its name, or null.</summary>
    public async Task<(string Id, string Name)?> ApplicantUnitAsync(WorkflowDbContext db, CaseFacts facts, CancellationToken cancellationToken)
    {
        var units = facts.Variable(CaseFacts.ApplicantUnitVariable) is { } given
            ? db.OrgUnits.Where(o => o.Id == given)
            : from u in db.Users where u.Id == facts.Initiator join o in db.OrgUnits on u.OrgUnitId equals o.Id select o;
        var unit = await units.Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(cancellationToken);
        return unit is null ? null : (unit.Id, unit.Name);
    }

    private static Task<string?> ApplicantUnitIdAsync(WorkflowDbContext db, CaseFacts facts, CancellationToken cancellationToken) =>
        new AssignmentScopeContext(db, facts, null).ApplicantUnitIdAsync(cancellationToken);

    /// <summary>The parent of a unit whose kind acts through its parent, or null.</summary>
    private async Task<string?> ParentActingForAsync(WorkflowDbContext db, string unit, CancellationToken cancellationToken)
    {
        if (_options.KindsActingThroughParent.Count == 0) return null;
        var kinds = _options.KindsActingThroughParent.ToList();
        return await db.OrgUnits.Where(u => u.Id == unit && kinds.Contains(u.Kind)).Select(u => u.ParentId).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> RoleHoldersAsync(WorkflowDbContext db, string role, string? unit, CancellationToken cancellationToken) =>
        await (from r in db.UserRoles
               join u in db.Users on r.UserId equals u.Id
               where r.Role == role && (unit == null || r.OrgUnitId == unit) && u.IsActive
               orderby u.Id
               select u.Id).Distinct().ToListAsync(cancellationToken);

    private static async Task<IReadOnlyList<string>> ActiveAsync(WorkflowDbContext db, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await db.Users.Where(u => ids.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(cancellationToken);

    private async Task<string> DescribeAsync(WorkflowDbContext db, AssignmentSpec spec, string? unit, CancellationToken cancellationToken)
    {
        var unitName = unit is null ? null : await db.OrgUnits.Where(u => u.Id == unit).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken);
        return spec.Kind switch
        {
            "role" => roleNames.Display(spec.Role ?? "") + (unitName is null ? "" : $"（{unitName}）"),
            "users" => string.Join("、", spec.Users ?? []),
            "initiator" => "申请人",
            "formField" => $"表单字段 {spec.Field}",
            _ => spec.Kind,
        };
    }
}
