using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;
using static PdsWorkflow.Tests.Support.TestOrganization;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>
/// The engine alone knows no organisation of its own: only the generic scopes (<c>applicant</c>, <c>orgUnit</c>, anywhere),
/// no fallback, no standing party and no role names (a role is an opaque string). What a module registers through the extension points is what definitions may name.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AssignmentExtensionTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    protected override void ConfigureDomain(IServiceCollection services) =>
        services.AddAssignmentScope<HumanResourcesScope>().AddStandingCaseParty<CountyParty>();

    private static DefinitionBuilder OneStep(string id, JsonObject assignment) =>
        new DefinitionBuilder(id).Add("start", "Start").UserTask("review", assignment).Add("end", "End")
            .Chain("start", "review").Connect("review:Approve", "end").Connect("review:Reject", "end");

    [Test]
    public void A_scope_no_module_registered_is_refused_at_publish_with_its_name()
    {
        var definition = new DefinitionBuilder(UniqueId("scopes")).Add("start", "Start")
            .UserTask("provider", Role("provider_approver", "provider"))
            .UserTask("bureau", Role("platform_admin", "bureau"))
            .UserTask("applicant", Role("provider_approver", "applicant"))
            .UserTask("unit", Role("provider_approver", "orgUnit", PublicSecurity))
            .UserTask("anywhere", Role("provider_approver"))
            .UserTask("registered", Role("provider_approver", HumanResourcesScope.ScopeName))
            .Chain("start", "provider", "bureau", "applicant", "unit", "anywhere", "registered").Build();

        var errors = Definitions.Validate(definition).Where(e => e.Code == "invalid_assignment").ToList();

        Assert.That(errors.Select(e => e.ActivityId), Is.EquivalentTo(new[] { "provider", "bureau" }));
        Assert.That(errors.Select(e => e.Message), Has.One.Contains("未知的组织范围“provider”").And.One.Contains("未知的组织范围“bureau”"));
    }

    [Test]
    public async Task A_registered_scope_decides_the_unit_whose_role_holders_get_the_step()
    {
        var id = UniqueId("custom");
        await PublishAsync(OneStep(id, Role("provider_approver", HumanResourcesScope.ScopeName)).Build());

        var run = await StartAsAsync(id, "gaj.staff");
        var task = await OpenTaskAsync(run.InstanceId, "review");

        Assert.That((task.AssigneeId, task.OrgUnitId), Is.EqualTo(("rsj.approver", HumanResources)));
    }

    [Test]
    public async Task Without_a_configured_fallback_a_step_nobody_matches_becomes_an_incident()
    {
        var id = UniqueId("nobody");
        await PublishAsync(OneStep(id, Role("no_such_role", "applicant")).Build());

        var result = await Runtime.StartAsync(new StartWorkflowRequest(id) { Initiator = "rsj.applicant" });

        Assert.That(result.Value.Status, Is.EqualTo(WorkflowStatus.Faulted), "no bureau to fall back on: the engine alone does not know one");
        Assert.That((await OpenTasksAsync(result.Value.InstanceId)), Is.Empty);
    }

    [Test]
    public void A_fallback_naming_a_scope_nobody_registered_stops_the_start_up_naming_the_setting()
    {
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine();
        services.Configure<AssignmentOptions>(o => o.Fallback = new AssignmentSpec("role") { Role = "platform_admin", Scope = "bureau" });
        using var provided = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => _ = provided.GetRequiredService<IOptions<AssignmentOptions>>().Value);
        Assert.That(failure!.Message, Does.Contain("AssignmentOptions.Fallback").And.Contain("'bureau'"));
    }

    [Test]
    public async Task Copies_may_go_to_a_registered_standing_party_listed_after_the_cases_own_units()
    {
        var id = UniqueId("party");
        await PublishAsync(OneStep(id, Role("provider_approver", "orgUnit", PublicSecurity)).Build());
        var run = await StartAsAsync(id, "rsj.applicant");
        var task = await OpenTaskAsync(run.InstanceId, "review");

        var page = Ok((await Services.GetRequiredService<AssignableUsers>().SearchAsync(task.Id, "gaj.approver1", AssignAction.Copy, null, null, 1, 50,
            CancellationToken.None))!.Value);

        var units = page.Units.Select(u => u.Id).ToList();
        Assert.That(units, Is.EquivalentTo(new[] { HumanResources, PublicSecurity, YeCounty }), "no bureau without the platform's module");
        Assert.That(units[^1], Is.EqualTo(YeCounty), "the standing party comes after the case's own units");
        Assert.That(page.Items.Single(u => u.Id == "gaj.approver2").Roles, Is.EqualTo(new[] { "provider_approver" }),
            "no role catalogue registered: a role shows as its id");
    }

    /// <summary>A module's scope: the human resources bureau, whatever the case.</summary>
    private sealed class HumanResourcesScope : IAssignmentScope
    {
        public const string ScopeName = "humanResources";

        public string Name => ScopeName;

        public Task<string?> UnitAsync(AssignmentScopeContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(HumanResources);
    }

    /// <summary>A module's standing party: the county data authority, on every case.</summary>
    private sealed class CountyParty : IStandingCaseParty
    {
        public Task<IReadOnlyList<string>> UnitIdsAsync(WorkflowDbContext db, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([YeCounty]);
    }
}
