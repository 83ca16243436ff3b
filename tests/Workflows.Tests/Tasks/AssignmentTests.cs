using System.Text.Json.Nodes;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;
using static PdsWorkflow.Tests.Support.TestOrganization;

namespace PdsWorkflow.Workflows.Tests.Tasks;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AssignmentTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private async Task<string> OneStepAsync(JsonObject assignment)
    {
        var id = UniqueId("assign");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").UserTask("review", assignment).Add("end", "End")
            .Chain("start", "review").Connect("review:Approve", "end").Connect("review:Reject", "end").Build());
        return id;
    }

    private async Task<(TaskView Task, IReadOnlyList<string> Candidates)> FirstTaskAsync(string definitionId, string initiator, JsonObject? input = null)
    {
        var run = await StartAsAsync(definitionId, initiator, input);
        var task = await OpenTaskAsync(run.InstanceId, "review");
        var application = (await Inbox.MyApplicationsAsync(initiator, pageSize: 200)).Items.Single(a => a.InstanceId == run.InstanceId);
        return (task, application.CurrentSteps.Single().Candidates);
    }

    [Test]
    public async Task Role_scoped_to_the_provider_department_goes_to_that_departments_approvers_as_a_pool()
    {
        var id = await OneStepAsync(Role(Roles.ProviderApprover, "provider"));
        var (task, candidates) = await FirstTaskAsync(id, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });

        Assert.That(candidates, Is.EquivalentTo(new[] { "gaj.approver1", "gaj.approver2" }), "the inactive approver is not a candidate");
        Assert.That(task.AssigneeId, Is.Null, "two candidates: a pool task to claim");
        Assert.That(task.OrgUnitId, Is.EqualTo(PublicSecurity));
    }

    [Test]
    public async Task Role_scoped_to_the_applicants_department_follows_the_initiator()
    {
        var id = await OneStepAsync(Role(Roles.ProviderApprover, "applicant"));
        var (task, _) = await FirstTaskAsync(id, "rsj.applicant");
        Assert.That((task.AssigneeId, task.OrgUnitId), Is.EqualTo(("rsj.approver", HumanResources)), "a single candidate is assigned directly");
    }

    [Test]
    public async Task County_department_goes_to_its_county_data_authority()
    {
        var id = await OneStepAsync(Role(Roles.CountyDataAdmin, "applicantCounty"));
        var (task, _) = await FirstTaskAsync(id, "yx.applicant");
        Assert.That((task.AssigneeId, task.OrgUnitId), Is.EqualTo(("yx.admin", YeCounty)));
    }

    [Test]
    public async Task Secondary_unit_without_the_role_acts_through_its_parent_department()
    {
        var id = await OneStepAsync(Role(Roles.ProviderApprover, "applicant"));
        var (task, candidates) = await FirstTaskAsync(id, "sub.staff");
        Assert.That(task.OrgUnitId, Is.EqualTo(PublicSecurity));
        Assert.That(candidates, Is.EquivalentTo(new[] { "gaj.approver1", "gaj.approver2" }));
    }

    [Test]
    public async Task Nobody_matching_falls_back_to_the_bureaus_platform_admins_and_says_so()
    {
        var id = await OneStepAsync(Role(Roles.ProviderApprover, "applicantCounty"));
        var (task, candidates) = await FirstTaskAsync(id, "rsj.applicant");

        Assert.That(candidates, Is.EquivalentTo(new[] { "admin1", "admin2" }));
        Assert.That(task.AssignmentNote, Does.Contain("无人匹配").And.Contain("平台管理员（市政务服务和大数据管理局）"));
        var journal = await JournalAsync(task.InstanceId);
        Assert.That(journal.Any(j => j.EventName == JournalEvents.Note && j.Message!.Contains("无人匹配")), Is.True);
    }

    [Test]
    public async Task Explicit_users_and_the_initiator_can_be_named()
    {
        var explicitId = await OneStepAsync(Users("member1", "member2"));
        var initiatorId = await OneStepAsync(Initiator());

        var (pool, candidates) = await FirstTaskAsync(explicitId, "rsj.applicant");
        var (own, _) = await FirstTaskAsync(initiatorId, "gaj.staff");

        Assert.That(candidates, Is.EquivalentTo(new[] { "member1", "member2" }));
        Assert.That(pool.AssigneeId, Is.Null);
        Assert.That(own.AssigneeId, Is.EqualTo("gaj.staff"));
    }

    [Test]
    public async Task A_user_named_in_a_form_field_gets_the_step()
    {
        var id = await OneStepAsync(new JsonObject { ["kind"] = "formField", ["field"] = "integrationOwner" });
        var (task, _) = await FirstTaskAsync(id, "rsj.applicant", new JsonObject { ["form"] = new JsonObject { ["integrationOwner"] = "gaj.staff" } });
        Assert.That(task.AssigneeId, Is.EqualTo("gaj.staff"));
    }

    [Test]
    public async Task Invalid_assignment_settings_are_validation_errors()
    {
        var definition = new DefinitionBuilder(UniqueId("bad")).Add("start", "Start")
            .UserTask("a", new JsonObject { ["kind"] = "role" })
            .UserTask("b", Role(Roles.ProviderApprover, "galaxy"))
            .UserTask("c", new JsonObject { ["kind"] = "telepathy" })
            .Chain("start", "a", "b", "c").Build();

        var errors = Definitions.Validate(definition);

        Assert.That(errors.Where(e => e.Code == "invalid_assignment").Select(e => e.ActivityId), Is.EquivalentTo(new[] { "a", "b", "c" }));
        Assert.That(errors.Single(e => e.ActivityId == "b" && e.Code == "invalid_assignment").Message, Does.Contain("galaxy"));
    }
}
