using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>The task commands that name another person.</summary>
public enum AssignAction
{
    Transfer,
    Delegate,
    AddSigner,
    Copy,
}

public sealed record AssignableUser(string Id, string DisplayName, string OrgUnitId, string? OrgUnitName, string? Title, IReadOnlyList<string> Roles);

public sealed record AssignableUnit(string Id, string Name, string Kind, string? ParentId);

public sealed record AssignableUsersPage(IReadOnlyList<AssignableUser> Items, int Total, int Page, int PageSize, IReadOnlyList<AssignableUnit> Units);

/// <summary>
/// Who a task may be handed to (issue #13): 转办, 委派 and 加签 go only to active users of the unit the task acts for (a
/// task without a unit, the unit of its holder); 抄送 only to active users of the units that are parties to the case: the
/// applicant's unit, the units its tasks act for, and the standing parties modules register (<see cref="IStandingCaseParty"/>:
/// the platform's bureau). Handing a case to someone gives them read access to all of it, so the rule is the server's, and
/// the picker lists no one else.
/// </summary>
public sealed class AssignableUsers(WorkflowStore store, IEnumerable<IStandingCaseParty> standingParties, RoleNames roleNames)
{
    public const int MaxPageSize = 100;

    /// <summary>The units whose active users the action may name.</summary>
    public async Task<IReadOnlyList<string>> UnitsAsync(WorkflowDbContext db, TaskRecord task, string actor, AssignAction action, CancellationToken ct)
    {
        if (action != AssignAction.Copy)
        {
            if (task.OrgUnitId is { } unit) return [unit];
            var holder = task.AssigneeId ?? actor;
            return await db.Users.Where(u => u.Id == holder).Select(u => u.OrgUnitId).ToListAsync(ct);
        }

        var parties = await db.Tasks.Where(t => t.InstanceId == task.InstanceId && t.OrgUnitId != null).Select(t => t.OrgUnitId!).Distinct().ToListAsync(ct);
        var initiator = task.InitiatorId ?? await db.Instances.Where(i => i.Id == task.InstanceId).Select(i => i.Initiator).FirstOrDefaultAsync(ct);
        if (task.ApplicantOrgUnitId is { } applicantUnit) parties.Add(applicantUnit);
        else if (initiator is not null) parties.AddRange(await db.Users.Where(u => u.Id == initiator).Select(u => u.OrgUnitId).ToListAsync(ct));
        parties.AddRange(await StandingUnitsAsync(db, ct));
        return parties.Distinct(StringComparer.Ordinal).ToList();
    }

    private async Task<List<string>> StandingUnitsAsync(WorkflowDbContext db, CancellationToken ct)
    {
        var units = new List<string>();
        foreach (var party in standingParties) units.AddRange(await party.UnitIdsAsync(db, ct));
        return units;
    }

    /// <summary>Null when every user may be named; otherwise the refusal, naming the field and who is not allowed.</summary>
    internal async Task<WorkflowError?> CheckAsync(WorkflowDbContext db, TaskRecord task, string actor, IReadOnlyList<string> users, AssignAction action,
        string field, CancellationToken ct)
    {
        if (action != AssignAction.Copy && users.Contains(actor)) return Refuse("same_user", "不能指定给自己。", field);
        var found = await db.Users.Where(u => users.Contains(u.Id) && u.IsActive).Select(u => new { u.Id, u.DisplayName, u.OrgUnitId }).ToListAsync(ct);
        var unknown = users.Where(id => found.All(u => u.Id != id)).Distinct().ToList();
        if (unknown.Count > 0) return Refuse("unknown_user", $"用户“{string.Join("”“", unknown)}”不存在或已停用。", field);
        var units = await UnitsAsync(db, task, actor, action, ct);
        var outside = found.Where(u => !units.Contains(u.OrgUnitId)).Select(u => u.DisplayName).ToList();
        if (outside.Count == 0) return null;
        var names = await db.OrgUnits.Where(u => units.Contains(u.Id)).OrderBy(u => u.Name).Select(u => u.Name).ToListAsync(ct);
        var allowed = string.Join("、", names);
        return Refuse("user_not_assignable", action switch
        {
            AssignAction.Copy => $"只能抄送给本案相关单位（{allowed}）的在岗人员，{string.Join("、", outside)} 不在其中。",
            _ => $"只能{Verb(action)}给本环节办理单位（{allowed}）的在岗人员，{string.Join("、", outside)} 不是该单位人员。",
        }, field);
    }

    /// <summary>Whether the user holds the task (assignee, delegator, or a candidate of a pool task nobody has claimed).</summary>
    public static async Task<bool> HoldsAsync(WorkflowDbContext db, TaskRecord task, string user, CancellationToken ct) =>
        task.AssigneeId == user || task.OwnerId == user
        || (task.AssigneeId is null && await db.TaskCandidates.AnyAsync(c => c.TaskId == task.Id && c.UserId == user, ct));

    /// <summary>
    /// The people the holder may name for the action, by name: searched in names, titles, unit names and role names,
    /// optionally within one of the allowed units; with the allowed units for the picker's tree. Null when the task does
    /// not exist; a refusal when the user does not hold it.
    /// </summary>
    public async Task<WorkflowResult<AssignableUsersPage>?> SearchAsync(Guid taskId, string actor, AssignAction action, string? search, string? orgUnitId,
        int page, int pageSize, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null) return null;
        if (!await HoldsAsync(db, task, actor, ct)) return TaskErrors.NotCandidate(actor);
        var units = await UnitsAsync(db, task, actor, action, ct);
        var standing = units.Count > 1 ? await StandingUnitsAsync(db, ct) : [];
        var unitRows = await db.OrgUnits.AsNoTracking().Where(u => units.Contains(u.Id)).OrderBy(u => standing.Contains(u.Id)).ThenBy(u => u.Name)
            .Select(u => new AssignableUnit(u.Id, u.Name, u.Kind, u.ParentId)).ToListAsync(ct);
        var within = orgUnitId is { Length: > 0 } && units.Contains(orgUnitId) ? [orgUnitId] : units;
        var users = db.Users.AsNoTracking().Where(u => u.IsActive && within.Contains(u.OrgUnitId));
        if (action != AssignAction.Copy) users = users.Where(u => u.Id != actor);
        if (search?.Trim() is { Length: > 0 } text)
        {
            var roleCodes = roleNames.Matching(text);
            users = users.Where(u => u.DisplayName.Contains(text) || (u.Title != null && u.Title.Contains(text))
                || db.OrgUnits.Any(o => o.Id == u.OrgUnitId && o.Name.Contains(text))
                || db.UserRoles.Any(r => r.UserId == u.Id && roleCodes.Contains(r.Role)));
        }

        var take = Math.Clamp(pageSize, 1, MaxPageSize);
        var number = Math.Max(page, 1);
        var total = await users.CountAsync(ct);
        var rows = await users.OrderBy(u => u.OrgUnitId).ThenBy(u => u.DisplayName).ThenBy(u => u.Id).Skip((number - 1) * take).Take(take)
            .Select(u => new { u.Id, u.DisplayName, u.OrgUnitId, u.Title }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var roles = (await db.UserRoles.AsNoTracking().Where(r => ids.Contains(r.UserId)).Select(r => new { r.UserId, r.Role }).ToListAsync(ct))
            .ToLookup(r => r.UserId, r => roleNames.Display(r.Role));
        var names = unitRows.ToDictionary(u => u.Id, u => u.Name);
        return new AssignableUsersPage(rows.Select(r => new AssignableUser(r.Id, r.DisplayName, r.OrgUnitId, names.GetValueOrDefault(r.OrgUnitId), r.Title,
            roles[r.Id].Distinct().ToList())).ToList(), total, number, take, unitRows);
    }

    private static string Verb(AssignAction action) => action switch
    {
        AssignAction.Transfer => "转办",
        AssignAction.Delegate => "委派",
        AssignAction.AddSigner => "加签",
        _ => "抄送",
    };

    private static WorkflowError Refuse(string code, string message, string field) =>
        new(WorkflowErrorKind.Invalid, code, "办理人不符合要求", message) { Errors = [new DefinitionError(code, message, null, field)] };
}
