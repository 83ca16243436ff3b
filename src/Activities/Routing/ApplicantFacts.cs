using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Routing;

/// <summary>
/// The applicant's unit as the organisation tables record it, for every process: the variable <c>applicant</c> that
/// routing reads (its kind, parent department, county data authority and level), and the form fields that describe the
/// using department. A county department goes through its county data authority (001 第十三条) and receives city data in
/// the county's front-end database (001 第十一条); a secondary unit acts through its parent department (000 §五): what
/// the unit is comes from the records, never from what the applicant declares.
/// </summary>
public sealed class ApplicantFacts : IRecordedFactsSource
{
    public const string Variable = "applicant";

    /// <summary>The applicant's unit kinds as the forms and definitions name them.</summary>
    public static class Kinds
    {
        public const string Bureau = "bureau";
        public const string Municipal = "municipal";
        public const string Secondary = "secondary";
        public const string CountyAuthority = "countyAuthority";
        public const string County = "county";
        public const string Utility = "utility";
    }

    public const string CityLevel = "city";
    public const string CountyLevel = "county";

    private static readonly string[] Derived = [Variable];

    public bool Handles(string definitionId) => true;

    public IReadOnlyCollection<string> Variables(string definitionId) => Derived;

    public async Task<RecordedFacts> DeriveAsync(RecordedFactsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var unit = await UnitOfAsync(request.Db, request.Initiator, cancellationToken);
        if (unit is null)
            return RecordedFacts.Refused("applicant", "applicant_without_unit", "您的账号不属于任何在用单位，不能提出申请；请联系平台管理员核实账号所属单位。");

        var applicant = await DescribeAsync(request.Db, unit, cancellationToken);
        var county = applicant["countyAuthorityName"]?.GetValue<string>();
        var kind = applicant["unitKind"]!.GetValue<string>();
        return new RecordedFacts
        {
            Variables = new JsonObject { [Variable] = applicant },
            FormFields = new JsonObject
            {
                ["userDepartmentCode"] = unit.CreditCode,
                ["userDepartmentName"] = unit.Name,
                ["reporterDepartment"] = unit.Name,
                ["reporterDepartmentCode"] = unit.CreditCode,
                ["demandLevel"] = applicant["level"]!.GetValue<string>() == CountyLevel ? "county" : "municipal",
                ["submittedVia"] = kind == Kinds.County ? "county" : "direct",
                ["countyAuthority"] = kind == Kinds.County ? county : null,
            },
        };
    }

    /// <summary>The active unit of an active user, or null.</summary>
    public static async Task<OrgUnitRecord?> UnitOfAsync(WorkflowDbContext db, string userId, CancellationToken ct) =>
        await (from u in db.Users.AsNoTracking()
               join o in db.OrgUnits.AsNoTracking() on u.OrgUnitId equals o.Id
               where u.Id == userId && u.IsActive && o.IsActive
               select o).FirstOrDefaultAsync(ct);

    /// <summary>The <c>applicant</c> variable of a unit: what routing may know about it.</summary>
    public static async Task<JsonObject> DescribeAsync(WorkflowDbContext db, OrgUnitRecord unit, CancellationToken ct)
    {
        var kind = KindOf(unit.Kind);
        var countyAuthority = kind is Kinds.County or Kinds.CountyAuthority
            ? await db.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKinds.CountyAuthority && u.RegionCode == unit.RegionCode && u.IsActive)
                .OrderBy(u => u.Id).Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(ct)
            : null;
        return new JsonObject
        {
            ["orgUnitId"] = unit.Id,
            ["orgUnitName"] = unit.Name,
            ["creditCode"] = unit.CreditCode,
            ["unitKind"] = kind,
            ["parentOrgUnitId"] = unit.ParentId,
            ["countyAuthorityOrgUnitId"] = countyAuthority?.Id,
            ["countyAuthorityName"] = countyAuthority?.Name,
            ["regionCode"] = unit.RegionCode,
            ["level"] = kind is Kinds.County or Kinds.CountyAuthority ? CountyLevel : CityLevel,
        };
    }

    public static string KindOf(string orgUnitKind) => orgUnitKind switch
    {
        OrgUnitKinds.Bureau => Kinds.Bureau,
        OrgUnitKinds.SecondaryUnit => Kinds.Secondary,
        OrgUnitKinds.CountyAuthority => Kinds.CountyAuthority,
        OrgUnitKinds.CountyDepartment => Kinds.County,
        OrgUnitKinds.Utility => Kinds.Utility,
        _ => Kinds.Municipal,
    };
}
