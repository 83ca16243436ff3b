using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.DataSharing;

/// <summary><c>bureau</c>: 市政务服务和大数据管理局, the unit that runs the platform.</summary>
public sealed class BureauScope : IAssignmentScope
{
    public const string ScopeName = "bureau";

    public string Name => ScopeName;

    public async Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await context.Db.OrgUnits.Where(u => u.Kind == OrgUnitKinds.Bureau).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary><c>provider</c>: the provider department the platform derived from the catalog (variable <c>providerOrgUnitId</c>).</summary>
public sealed class ProviderScope : IAssignmentScope
{
    public const string Variable = "providerOrgUnitId";

    public string Name => "provider";

    public Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Facts.Variable(Variable));
    }
}

/// <summary><c>applicantParent</c>: a secondary unit applies through (or with the consent of) its parent department (000 §五).</summary>
public sealed class ApplicantParentScope : IAssignmentScope
{
    public string Name => "applicantParent";

    public async Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var own = await context.ApplicantUnitIdAsync(cancellationToken);
        return own is null ? null
            : await context.Db.OrgUnits.Where(u => u.Id == own).Select(u => u.ParentId ?? u.Id).FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary><c>applicantCounty</c>: the county data authority of a county applicant, its county's gatekeeper (000 §五).</summary>
public sealed class ApplicantCountyScope : IAssignmentScope
{
    public string Name => "applicantCounty";

    public async Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var applicant = await context.ApplicantUnitIdAsync(cancellationToken);
        var unit = applicant is null ? null : await context.Db.OrgUnits.FirstOrDefaultAsync(u => u.Id == applicant, cancellationToken);
        if (unit is null || unit.Kind is not (OrgUnitKinds.CountyDepartment or OrgUnitKinds.CountyAuthority)) return null;
        return await context.Db.OrgUnits.Where(u => u.Kind == OrgUnitKinds.CountyAuthority && u.RegionCode == unit.RegionCode)
            .Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary>The bureau is a party to every case: its people may be copied on any of them.</summary>
public sealed class BureauParty : IStandingCaseParty
{
    public async Task<IReadOnlyList<string>> UnitIdsAsync(Workflows.Persistence.WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.OrgUnits.Where(u => u.Kind == OrgUnitKinds.Bureau).Select(u => u.Id).ToListAsync(cancellationToken);
    }
}
