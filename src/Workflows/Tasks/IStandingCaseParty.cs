using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tasks;

/// <summary>
/// Units that are a party to every case, besides the applicant's unit and the units the case's tasks act for (the
/// platform's operator, say): their people may be copied (抄送) on any case, and the picker lists these units last.
/// Register with <see cref="AssignmentServiceCollectionExtensions.AddStandingCaseParty{T}"/>.
/// </summary>
public interface IStandingCaseParty
{
    Task<IReadOnlyList<string>> UnitIdsAsync(WorkflowDbContext db, CancellationToken cancellationToken);
}
