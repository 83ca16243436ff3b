using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Routing;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Accounts;

/// <summary>
/// What the organisation tables say about the account an application names (P1/P2, 000 账号申请及重置流程): whose
/// account it is and who must review it. A new account names its unit by id; a reset or an "other" request names an
/// existing account (a platform user id, or a front-end database or FTP account name, whose unit code is part of the
/// name). The applicant may ask only for its own unit's accounts and those of the units it answers for: a parent
/// department for its secondary units, a county data authority for its county's departments (000 §五, 001 第十三条).
/// The bureau's own accounts are not requested through this process.
/// <para>
/// The review follows the account's unit, never a declared kind: a secondary unit that applies for itself goes to its
/// parent department first, a county department that applies for itself to its county data authority; when the parent
/// or the authority applies, it is the one whose consent the step would ask, so the bureau issues directly.
/// </para>
/// </summary>
public sealed class AccountFacts : IRecordedFactsSource
{
    public const string PlatformDefinition = "account-platform";
    public const string FrontEndDefinition = "account-frontend";

    /// <summary>The account's unit as <see cref="ApplicantFacts.DescribeAsync"/> describes a unit.</summary>
    public const string UnitVariable = "accountUnit";

    /// <summary><see cref="Routes"/>: which review the case takes before the bureau issues.</summary>
    public const string RouteVariable = "accountRoute";

    /// <summary>What the issuing step acts on: <c>{requestType, orgUnitId, orgUnitName, existingAccount, holderUserId}</c>.</summary>
    public const string AccountVariable = "account";

    public static class Routes
    {
        public const string Parent = "parent";
        public const string County = "county";
        public const string Bureau = "bureau";
    }

    private static readonly string[] Derived = [UnitVariable, RouteVariable, AccountVariable];

    public bool Handles(string definitionId) => definitionId is PlatformDefinition or FrontEndDefinition;

    public IReadOnlyCollection<string> Variables(string definitionId) => Handles(definitionId) ? Derived : [];

    public async Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var applicant = await ApplicantFacts.UnitOfAsync(request.Db, request.Initiator, cancellationToken);
        // No unit: the applicant's own facts refuse the application; nothing to add here.
        if (applicant is null) return Unknown;

        var named = await NamedAccountAsync(request, cancellationToken);
        if (named.Error is { } error) return RecordedFacts.Refused(error.Field, error.Code, error.Message);
        if (named.Unit is not { } unit) return Unknown;

        var field = named.Field;
        if (unit.Kind == OrgUnitKinds.Bureau)
            return RecordedFacts.Refused(field, "bureauAccount",
                "市政务服务和大数据管理局本局的账号不通过账号申请流程开通或重置，请联系平台管理员在用户管理中办理。");
        if (!AnswersFor(applicant, unit))
            return RecordedFacts.Refused(field, "notYourUnit", named.Holder is null && named.Existing is null
                ? $"“{unit.Name}”不是贵单位，也不是贵单位负责的二级机构或县（市、区）部门，不能为其申请账号。"
                : $"账号“{named.Existing}”不属于贵单位或贵单位负责的二级机构、县（市、区）部门，不能申请重置或办理其他事项。");
        if (unit.Kind == OrgUnitKinds.SecondaryUnit && unit.ParentId is null)
            return RecordedFacts.Refused(field, "noParentRecorded", $"组织机构记录中“{unit.Name}”没有主管部门，无法按规定由主管部门审核；请联系平台管理员完善组织机构信息。");

        var described = await ApplicantFacts.DescribeAsync(request.Db, unit, cancellationToken);
        var route = RouteOf(applicant, unit);
        var contact = await AccountContacts.CompareAsync(request.Db, unit.Id, named.Holder, request.Form, cancellationToken);
        return new RecordedFacts
        {
            Variables = new JsonObject
            {
                [UnitVariable] = described,
                [RouteVariable] = route,
                [AccountVariable] = new JsonObject
                {
                    ["requestType"] = FormValues.Text(request.Form, "requestType"),
                    ["orgUnitId"] = unit.Id,
                    ["orgUnitName"] = unit.Name,
                    ["existingAccount"] = named.Existing,
                    ["holderUserId"] = named.Holder?.Id,
                },
            },
            FormFields = new JsonObject
            {
                ["accountUnitName"] = unit.Name,
                ["accountUnitKind"] = described["unitKind"]!.GetValue<string>(),
                ["reviewRoute"] = await RouteTextAsync(request.Db, applicant, unit, route, described, cancellationToken),
                ["recordContact"] = contact.RecordText,
                ["contactDiffers"] = contact.Differs ? true : null,
            },
        };
    }

    /// <summary>The applicant's own unit, a secondary unit whose parent it is, or (a county data authority) a department of its county.</summary>
    public static bool AnswersFor(OrgUnitRecord applicant, OrgUnitRecord unit) =>
        unit.Id == applicant.Id
        || (unit.ParentId is not null && unit.ParentId == applicant.Id)
        || (applicant.Kind == OrgUnitKinds.CountyAuthority && unit.Kind == OrgUnitKinds.CountyDepartment && unit.RegionCode == applicant.RegionCode);

    /// <summary>
    /// 000 §五: a secondary unit applies through its parent department or with its consent, a county department through
    /// its county data authority or with its consent. The consent is recorded by that unit's own review step; when the
    /// parent or the authority is the applicant, its application is the consent.
    /// </summary>
    public static string RouteOf(OrgUnitRecord applicant, OrgUnitRecord unit) => unit.Kind switch
    {
        OrgUnitKinds.SecondaryUnit when applicant.Id != unit.ParentId => Routes.Parent,
        OrgUnitKinds.CountyDepartment when applicant.Kind != OrgUnitKinds.CountyAuthority => Routes.County,
        _ => Routes.Bureau,
    };

    private static async Task<string> RouteTextAsync(WorkflowDbContext db, OrgUnitRecord applicant, OrgUnitRecord unit, string route, JsonObject described,
        CancellationToken ct)
    {
        switch (route)
        {
            case Routes.Parent:
                var parent = await db.OrgUnits.AsNoTracking().Where(u => u.Id == unit.ParentId).Select(u => u.Name).FirstOrDefaultAsync(ct);
                return $"二级机构自行申请：先由主管部门（{parent ?? unit.ParentId}）审核，再由市政务服务和大数据管理局办理。";
            case Routes.County:
                return $"县（市、区）部门自行申请：先由{described["countyAuthorityName"]?.GetValue<string>() ?? "所在县（市、区）数据主管部门"}审核，再由市政务服务和大数据管理局办理。";
            default:
                return applicant.Id == unit.Id
                    ? "由市政务服务和大数据管理局审核办理。"
                    : $"由{applicant.Name}统一申请，市政务服务和大数据管理局审核办理。";
        }
    }

    private static RecordedFacts Unknown => new()
    {
        Variables = new JsonObject { [UnitVariable] = null, [RouteVariable] = null, [AccountVariable] = null },
        FormFields = new JsonObject
        {
            ["accountUnitName"] = null, ["accountUnitKind"] = null, ["reviewRoute"] = null, ["recordContact"] = null, ["contactDiffers"] = null,
        },
    };

    private sealed record Named(OrgUnitRecord? Unit, string Field, string? Existing, UserRecord? Holder, FormError? Error);

    /// <summary>The unit the form names: by id for a new account, through the existing account otherwise; nothing while the form does not say yet.</summary>
    private static async Task<Named> NamedAccountAsync(RecordedFactsRequest request, CancellationToken ct)
    {
        var db = request.Db;
        var form = request.Form;
        switch (FormValues.Text(form, "requestType"))
        {
            case "new":
                if (FormValues.Text(form, "accountUnitId") is not { } unitId) return new Named(null, "accountUnitId", null, null, null);
                var unit = await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId && u.IsActive, ct);
                return unit is null
                    ? new Named(null, "accountUnitId", null, null, new FormError("accountUnitId", "unknownUnit", "所选单位不是组织机构中的在用单位，请重新选择开通账号的单位。"))
                    : new Named(unit, "accountUnitId", null, null, null);
            case "reset" or "other":
                if (FormValues.Text(form, "existingAccount") is not { } name) return new Named(null, "existingAccount", null, null, null);
                return request.DefinitionId == FrontEndDefinition
                    ? await FrontEndAccountAsync(db, name, FormValues.Text(form, "accountType"), ct)
                    : await PlatformAccountAsync(db, name, FormValues.Text(form, "requestType") == "reset", ct);
            default:
                return new Named(null, "requestType", null, null, null);
        }
    }

    private static async Task<Named> PlatformAccountAsync(WorkflowDbContext db, string name, bool reset, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == name, ct);
        var unit = user is null ? null : await db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.OrgUnitId && u.IsActive, ct);
        if (user is null || unit is null)
            return new Named(null, "existingAccount", name, null,
                new FormError("existingAccount", "unknownAccount", $"平台上没有在用单位的账号“{name}”，请填写要办理的平台登录账号（即登录平台时使用的用户名）。"));
        if (reset && !user.IsActive)
            return new Named(null, "existingAccount", name, null,
                new FormError("existingAccount", "inactiveAccount", $"账号“{name}”已停用，不能重置密码；如需启用，请选择“其他”并说明。"));
        return new Named(unit, "existingAccount", user.Id, user, null);
    }

    /// <summary>
    /// A front-end account is <c>db_&lt;unit code&gt;_NN</c>, an FTP account <c>ftp_&lt;unit code&gt;_NN</c>
    /// (<see cref="FrontEnd.FrontEndNames"/>, <see cref="Ftp.PureFtpdAccounts"/>): the unit is the one whose code the name
    /// carries. The issuing step checks again, against the department marker the account carries on its server.
    /// </summary>
    private static async Task<Named> FrontEndAccountAsync(WorkflowDbContext db, string name, string? accountType, CancellationToken ct)
    {
        var (prefix, kind) = accountType == "ftp" ? ("ftp_", "FTP 账号") : ("db_", "前置数据库账号");
        var lastUnderscore = name.LastIndexOf('_');
        var numbered = lastUnderscore > prefix.Length && name[(lastUnderscore + 1)..] is { Length: >= 2 } number && number.All(char.IsAsciiDigit);
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !numbered)
            return new Named(null, "existingAccount", name, null, new FormError("existingAccount", "accountNameFormat",
                $"{kind}名称应形如 {prefix}单位代码_01（如 {prefix}mzj_01），请填写平台发给贵单位的账号名称。"));

        var code = name[prefix.Length..lastUnderscore];
        var ids = await db.OrgUnits.AsNoTracking().Where(u => u.IsActive).Select(u => u.Id).ToListAsync(ct);
        var owners = ids.Where(id => AccountDepartment.CodeOf(id) == code).ToList();
        if (owners.Count != 1)
            return new Named(null, "existingAccount", name, null, new FormError("existingAccount", "unknownAccount",
                $"无法从账号“{name}”确定所属单位，请核对账号名称。"));
        var unit = await db.OrgUnits.AsNoTracking().FirstAsync(u => u.Id == owners[0], ct);
        return new Named(unit, "existingAccount", name, null, null);
    }
}
