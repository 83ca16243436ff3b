using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing.Forms;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.DataSharing;

/// <summary>
/// What the engine must know of the data-sharing platform, given through the engine's extension points: the names of
/// the platform's roles, the organisation scopes assignments name, the fallback and the secondary units that act through their parent, the bureau as a party to
/// every case; the formats and rules of the platform's forms (resource codes, usage hours, shared file formats, seasonal
/// windows). <see cref="PdsActivitiesRegistration.AddPdsActivities"/> calls it; engine tests that run the platform's
/// definitions call it themselves.
/// </summary>
public static class DataSharingServiceCollectionExtensions
{
    /// <summary>Nobody matched a step: the bureau's platform administrators take it (and decide extensions the step does not assign).</summary>
    public static AssignmentSpec PlatformAdmins { get; } = new("role") { Role = Roles.PlatformAdmin, Scope = BureauScope.ScopeName };

    public static IServiceCollection AddDataSharing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<AssignmentOptions>(o =>
        {
            o.Fallback = PlatformAdmins;
            // A secondary unit with nobody in the role acts through its parent department (000 §五).
            o.KindsActingThroughParent.Add(OrgUnitKinds.SecondaryUnit);
        });
        return services
            .AddAssignmentScope<BureauScope>()
            .AddAssignmentScope<ProviderScope>()
            .AddAssignmentScope<ApplicantParentScope>()
            .AddAssignmentScope<ApplicantCountyScope>()
            .AddStandingCaseParty<BureauParty>()
            .AddRoleCatalog<PlatformRoleCatalog>()
            .AddFormatValidator<ResourceCodeValidator>()
            .AddFormatValidator<UsageHoursValidator>()
            .AddFormatValidator<SharedFileFormatValidator>()
            .AddCustomRule<SeasonalWindowsRule>()
            .AddCustomRule<ResourceCodeClassificationRule>();
    }
}
