using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Forms.Validators;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Api;

public sealed record UserView(string Id, string DisplayName, string OrgUnitId, string? OrgUnitName, string? Title, string? Phone, string? Email,
    bool IsActive, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles, bool MustChangePassword = false,
    bool SecondFactorEnrolled = false);

public sealed record UnitView(string Id, string Name, string Kind, string KindName, string? ParentId, string RegionCode, string? RegionName,
    string? CreditCode, bool IsActive)
{
    public static readonly IReadOnlyDictionary<string, string> KindNames = new Dictionary<string, string>
    {
        [OrgUnitKinds.Bureau] = "市政务服务和大数据管理局",
        [OrgUnitKinds.MunicipalDepartment] = "市直单位",
        [OrgUnitKinds.SecondaryUnit] = "二级机构",
        [OrgUnitKinds.CountyAuthority] = "县区政务数据主管部门",
        [OrgUnitKinds.CountyDepartment] = "县区政务部门",
        [OrgUnitKinds.Utility] = "公共企事业单位",
    };

    public static UnitView From(OrgUnitRecord u) => new(u.Id, u.Name, u.Kind, KindNames.GetValueOrDefault(u.Kind, u.Kind), u.ParentId, u.RegionCode,
        u.RegionName, u.CreditCode, u.IsActive);
}

public sealed record CreateUserRequest(string? Id, string? DisplayName, string? OrgUnitId, string? Password, string? Title, string? Phone, string? Email,
    IReadOnlyList<string>? Roles);

public sealed record UpdateUserRequest(string? DisplayName, string? OrgUnitId, string? Title, string? Phone, string? Email);

public sealed record RolesRequest(IReadOnlyList<string>? Roles);

public sealed record PasswordRequest(string? Password);

public sealed record UnitRequest(string? Id, string? Name, string? Kind, string? ParentId, string? RegionCode, string? RegionName, string? CreditCode,
    bool? IsActive);

/// <summary>
/// Users and the organisation units, for platform administrators (system administration, 三员分立): roles, unlocks and
/// second-factor resets are the security administrator's (<see cref="SecurityAdminEndpoints"/>). Every change, and every
/// refused one, is written to the security log.
/// </summary>
public static partial class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(p => p.RequireRole(Roles.PlatformAdmin));

        admin.MapGet("/users", async (string? search, string? orgUnitId, string? role, bool? includeInactive, int? page, int? pageSize, WorkflowStore store,
            CancellationToken ct) => Results.Ok(await SearchUsersAsync(store, search, orgUnitId, role, includeInactive == true, page, pageSize, ct)));
        admin.MapGet("/users/{id}", async (string id, WorkflowStore store, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } user
                ? Results.Ok((await ViewsAsync(db, [user], ct))[0])
                : UserNotFound(id);
        });
        admin.MapPost("/users", async (CreateUserRequest request, WorkflowStore store, TimeProvider clock, SecurityLog log, PasswordPolicy passwords,
            HttpContext context, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var errors = new FieldErrors();
            if (string.IsNullOrWhiteSpace(request.Id)) errors.Add("id", "请填写登录名。");
            else if (!UserName().IsMatch(request.Id)) errors.Add("id", "登录名只能使用字母、数字、点、横线和下划线，长度 3 至 64 位。");
            else if (await db.Users.AnyAsync(u => u.Id == request.Id, ct)) errors.Add("id", $"登录名“{request.Id}”已被使用。");
            if (PasswordPolicy.Problem(request.Id ?? "", request.Password ?? "") is { } weak) errors.Add("password", weak);
            await CheckUserFieldsAsync(db, errors, request.DisplayName, request.OrgUnitId, request.Title, request.Phone, request.Email, ct);
            if (request.Roles is { Count: > 0 }) errors.Add("roles", "角色由安全管理员分配（三员分立），新建用户时不能指定。");
            if (errors.Any) return await RefusedAsync(log, context, SecurityEventKinds.UserCreated, $"user:{request.Id}", errors, ct);
            var user = new UserRecord
            {
                Id = request.Id!, DisplayName = request.DisplayName!.Trim(), OrgUnitId = request.OrgUnitId!, Title = request.Title, Phone = request.Phone,
                Email = request.Email, CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.Users.Add(user);
            await passwords.SetAsync(db, user, request.Password!, mustChange: true, ct);
            log.Add(db, context.SecurityEvent(SecurityEventKinds.UserCreated, SecurityResults.Success, $"user:{user.Id}", $"单位 {user.OrgUnitId}；首次登录须改密码"));
            await db.SaveChangesAsync(ct);
            return Results.Created($"/api/admin/users/{user.Id}", (await ViewsAsync(db, [user], ct))[0]);
        });
        admin.MapPut("/users/{id}", async (string id, UpdateUserRequest request, WorkflowStore store, SecurityLog log, HttpContext context, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null) return UserNotFound(id);
            var errors = new FieldErrors();
            await CheckUserFieldsAsync(db, errors, request.DisplayName, request.OrgUnitId, request.Title, request.Phone, request.Email, ct);
            if (errors.Any) return await RefusedAsync(log, context, SecurityEventKinds.UserUpdated, $"user:{id}", errors, ct);
            log.Add(db, context.SecurityEvent(SecurityEventKinds.UserUpdated, SecurityResults.Success, $"user:{id}",
                user.OrgUnitId == request.OrgUnitId ? "资料" : $"单位 {user.OrgUnitId} → {request.OrgUnitId}"));
            if (user.OrgUnitId != request.OrgUnitId)
                foreach (var role in await db.UserRoles.Where(r => r.UserId == id && r.OrgUnitId == user.OrgUnitId).ToListAsync(ct))
                {
                    db.UserRoles.Remove(role);
                    db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role.Role, OrgUnitId = request.OrgUnitId! });
                }

            (user.DisplayName, user.OrgUnitId, user.Title, user.Phone, user.Email) =
                (request.DisplayName!.Trim(), request.OrgUnitId!, request.Title, request.Phone, request.Email);
            await db.SaveChangesAsync(ct);
            return Results.Ok((await ViewsAsync(db, [user], ct))[0]);
        });
        admin.MapPost("/users/{id}/disable", SetActiveAsync(false));
        admin.MapPost("/users/{id}/enable", SetActiveAsync(true));
        admin.MapPost("/users/{id}/password", async (string id, PasswordRequest request, WorkflowStore store, PasswordPolicy passwords, SecurityLog log,
            HttpContext context, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null) return UserNotFound(id);
            var errors = new FieldErrors();
            if (PasswordPolicy.Problem(id, request.Password ?? "") is { } weak) errors.Add("password", weak);
            else if (await passwords.WasUsedAsync(db, user, request.Password!, ct)) errors.Add("password", "新密码不能与该用户最近使用过的密码相同。");
            if (errors.Any) return await RefusedAsync(log, context, SecurityEventKinds.PasswordReset, $"user:{id}", errors, ct);
            await passwords.SetAsync(db, user, request.Password!, mustChange: true, ct);
            log.Add(db, context.SecurityEvent(SecurityEventKinds.PasswordReset, SecurityResults.Success, $"user:{id}", "管理员重置；其全部会话已结束，下次登录须改密码"));
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        });

        admin.MapGet("/roles", () => Results.Ok(Roles.DisplayNames.Select(r => new { role = r.Key, name = r.Value })));

        admin.MapGet("/units", async (string? kind, bool? includeInactive, WorkflowStore store, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var units = db.OrgUnits.AsNoTracking();
            if (includeInactive != true) units = units.Where(u => u.IsActive);
            if (!string.IsNullOrWhiteSpace(kind)) units = units.Where(u => u.Kind == kind);
            return Results.Ok((await units.OrderBy(u => u.RegionCode).ThenBy(u => u.Id).ToListAsync(ct)).Select(UnitView.From));
        });
        admin.MapPost("/units", async (UnitRequest request, WorkflowStore store, SecurityLog log, HttpContext context, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var errors = new FieldErrors();
            if (string.IsNullOrWhiteSpace(request.Id)) errors.Add("id", "请填写单位编码。");
            else if (!UnitId().IsMatch(request.Id)) errors.Add("id", "单位编码只能使用小写字母、数字和横线，长度 2 至 64 位。");
            else if (await db.OrgUnits.AnyAsync(u => u.Id == request.Id, ct)) errors.Add("id", $"单位编码“{request.Id}”已被使用。");
            if (string.IsNullOrWhiteSpace(request.Kind) || !UnitView.KindNames.ContainsKey(request.Kind))
                errors.Add("kind", $"单位类型应为以下之一：{string.Join("、", UnitView.KindNames.Keys)}。");
            await CheckUnitFieldsAsync(db, errors, request, request.Id, ct);
            if (errors.Any) return await RefusedAsync(log, context, SecurityEventKinds.UnitCreated, $"unit:{request.Id}", errors, ct);
            var unit = new OrgUnitRecord
            {
                Id = request.Id!, Name = request.Name!.Trim(), Kind = request.Kind!, ParentId = Blank(request.ParentId), RegionCode = request.RegionCode!,
                RegionName = Blank(request.RegionName), CreditCode = Blank(request.CreditCode), IsActive = request.IsActive ?? true,
            };
            db.OrgUnits.Add(unit);
            log.Add(db, context.SecurityEvent(SecurityEventKinds.UnitCreated, SecurityResults.Success, $"unit:{unit.Id}", unit.Name));
            await db.SaveChangesAsync(ct);
            return Results.Created($"/api/admin/units/{unit.Id}", UnitView.From(unit));
        });
        admin.MapPut("/units/{id}", async (string id, UnitRequest request, WorkflowStore store, SecurityLog log, HttpContext context, CancellationToken ct) =>
        {
            await using var db = await store.CreateContextAsync(ct);
            var unit = await db.OrgUnits.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (unit is null) return Problems.NotFound("unit_not_found", $"找不到单位“{id}”。");
            var errors = new FieldErrors();
            await CheckUnitFieldsAsync(db, errors, request with { Kind = unit.Kind }, id, ct);
            if (errors.Any) return await RefusedAsync(log, context, SecurityEventKinds.UnitUpdated, $"unit:{id}", errors, ct);
            (unit.Name, unit.ParentId, unit.RegionCode, unit.RegionName, unit.CreditCode, unit.IsActive) = (request.Name!.Trim(), Blank(request.ParentId),
                request.RegionCode!, Blank(request.RegionName), Blank(request.CreditCode), request.IsActive ?? unit.IsActive);
            log.Add(db, context.SecurityEvent(SecurityEventKinds.UnitUpdated, SecurityResults.Success, $"unit:{id}", unit.IsActive ? unit.Name : unit.Name + "（停用）"));
            await db.SaveChangesAsync(ct);
            return Results.Ok(UnitView.From(unit));
        });
        return app;
    }

    private static Delegate SetActiveAsync(bool active) => async (string id, WorkflowStore store, Caller caller, SecurityLog log, HttpContext context,
        CancellationToken ct) =>
    {
        var kind = active ? SecurityEventKinds.UserEnabled : SecurityEventKinds.UserDisabled;
        if (!active && id == caller.Id)
        {
            await log.WriteAsync(context.SecurityEvent(kind, SecurityResults.Refused, $"user:{id}", "不能停用自己的账号"), ct);
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "当前不能进行该操作", detail: "不能停用自己的账号。",
                extensions: new Dictionary<string, object?> { ["code"] = "cannot_disable_self" });
        }

        await using var db = await store.CreateContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return UserNotFound(id);
        user.IsActive = active;
        if (!active) user.RevokeSessions();
        log.Add(db, context.SecurityEvent(kind, SecurityResults.Success, $"user:{id}", active ? null : "其全部会话已结束"));
        await db.SaveChangesAsync(ct);
        return Results.Ok((await ViewsAsync(db, [user], ct))[0]);
    };

    /// <summary>Users by part of the name, unit and role, a page at a time: the system and the security administrators' list.</summary>
    internal static async Task<Workflows.Tasks.PageOf<UserView>> SearchUsersAsync(WorkflowStore store, string? search, string? orgUnitId, string? role,
        bool includeInactive, int? page, int? pageSize, CancellationToken ct)
    {
        await using var db = await store.CreateContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!includeInactive) users = users.Where(u => u.IsActive);
        if (!string.IsNullOrWhiteSpace(search)) users = users.Where(u => u.Id.Contains(search) || u.DisplayName.Contains(search));
        if (!string.IsNullOrWhiteSpace(orgUnitId)) users = users.Where(u => u.OrgUnitId == orgUnitId);
        if (!string.IsNullOrWhiteSpace(role)) users = users.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.Role == role));
        var (skip, take, number) = Paging.Of(page, pageSize);
        var total = await users.CountAsync(ct);
        var rows = await users.OrderBy(u => u.OrgUnitId).ThenBy(u => u.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new Workflows.Tasks.PageOf<UserView>(await ViewsAsync(db, rows, ct), total, number, take);
    }

    /// <summary>A refusal writes one thing: its row in the security log.</summary>
    internal static async Task<IResult> RefusedAsync(SecurityLog log, HttpContext context, string kind, string target, FieldErrors errors, CancellationToken ct)
    {
        await log.WriteAsync(context.SecurityEvent(kind, SecurityResults.Refused, target, errors.Summary), ct);
        return errors.Problem();
    }

    private static async Task CheckUserFieldsAsync(WorkflowDbContext db, FieldErrors errors, string? displayName, string? orgUnitId, string? title,
        string? phone, string? email, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(displayName)) errors.Add("displayName", "请填写姓名。");
        else TextLimits.Check(errors, "displayName", displayName.Trim(), TextLimits.PersonName, "姓名");
        TextLimits.Check(errors, "title", title, TextLimits.JobTitle, "职务");
        if (string.IsNullOrWhiteSpace(orgUnitId)) errors.Add("orgUnitId", "请选择所属单位。");
        else if (!await db.OrgUnits.AnyAsync(u => u.Id == orgUnitId && u.IsActive, ct)) errors.Add("orgUnitId", $"单位“{orgUnitId}”不存在或已停用。");
        if (!string.IsNullOrWhiteSpace(phone) && new MobileOrLandlineValidator().Validate(phone.Trim(), "联系电话") is { IsValid: false } badPhone)
            errors.Add("phone", badPhone.Message!);
        if (!string.IsNullOrWhiteSpace(email) && new EmailValidator().Validate(email.Trim(), "电子邮箱") is { IsValid: false } badEmail)
            errors.Add("email", badEmail.Message!);
    }

    internal static void CheckRoles(FieldErrors errors, IReadOnlyList<string>? roles)
    {
        foreach (var role in roles ?? [])
            if (!Roles.DisplayNames.ContainsKey(role)) errors.Add("roles", $"角色“{role}”不存在。");
    }

    private static async Task CheckUnitFieldsAsync(WorkflowDbContext db, FieldErrors errors, UnitRequest request, string? id, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add("name", "请填写单位名称。");
        else TextLimits.Check(errors, "name", request.Name.Trim(), TextLimits.UnitName, "单位名称");
        TextLimits.Check(errors, "regionName", request.RegionName?.Trim(), TextLimits.UnitName, "行政区划名称");
        if (string.IsNullOrWhiteSpace(request.RegionCode) || !RegionCode().IsMatch(request.RegionCode))
            errors.Add("regionCode", "行政区划代码应为 6 位数字，例如 410400（平顶山市）、410422（叶县）。");
        if (request.Kind == OrgUnitKinds.SecondaryUnit && string.IsNullOrWhiteSpace(request.ParentId))
            errors.Add("parentId", "二级机构须选择主管部门。");
        if (!string.IsNullOrWhiteSpace(request.ParentId))
        {
            if (request.ParentId == id) errors.Add("parentId", "主管部门不能是本单位。");
            else if (!await db.OrgUnits.AnyAsync(u => u.Id == request.ParentId, ct)) errors.Add("parentId", $"主管部门“{request.ParentId}”不存在。");
        }

        if (!string.IsNullOrWhiteSpace(request.CreditCode) && new UsccValidator().Validate(request.CreditCode.Trim(), "统一社会信用代码") is { IsValid: false } bad)
            errors.Add("creditCode", bad.Message!);
    }

    internal static async Task<List<UserView>> ViewsAsync(WorkflowDbContext db, IReadOnlyList<UserRecord> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var unitIds = users.Select(u => u.OrgUnitId).Distinct().ToList();
        var roles = (await db.UserRoles.AsNoTracking().Where(r => ids.Contains(r.UserId)).ToListAsync(ct)).ToLookup(r => r.UserId, r => r.Role);
        var units = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return users.Select(u => new UserView(u.Id, u.DisplayName, u.OrgUnitId, units.GetValueOrDefault(u.OrgUnitId), u.Title, u.Phone, u.Email, u.IsActive,
            u.LockedUntil is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc)) : null,
            new DateTimeOffset(DateTime.SpecifyKind(u.CreatedAt, DateTimeKind.Utc)), roles[u.Id].Distinct().Order().ToList(), u.MustChangePassword,
            u.TotpEnabledAt is not null)).ToList();
    }

    internal static IResult UserNotFound(string id) => Problems.NotFound("user_not_found", $"找不到用户“{id}”。");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex UserName();

    [GeneratedRegex("^[a-z0-9-]{2,64}$")]
    private static partial Regex UnitId();

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex RegionCode();
}

/// <summary>Collects zh-CN messages per request field, then answers them as one problem (<c>validation_failed</c>).</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public IResult Problem(string code = "validation_failed") => Problems.Fields(code, _errors);

    /// <summary>The fields and their first message, for the security log's note on a refusal.</summary>
    public string Summary => string.Join("；", _errors.Select(e => $"{e.Key}: {e.Value[0]}"));
}

/// <summary>Page numbers from 1, page sizes from 1 to 200.</summary>
public static class Paging
{
    public static (int Skip, int Take, int Page) Of(int? page, int? pageSize)
    {
        var take = Math.Clamp(pageSize ?? 20, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        return ((number - 1) * take, take, number);
    }
}
