using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Forms;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.DataSharing;

/// <summary>The platform's words reach the engine through its extension points, registered by <c>AddPdsActivities</c>.</summary>
public sealed class DataSharingRegistrationTests
{
    private static readonly string[] PlatformScopes = ["bureau", "provider", "applicantParent", "applicantCounty"];
    private static readonly string[] PlatformFormats = ["resourceCode", "usageHours", "sharedFileFormat"];
    private static readonly string[] PlatformRules = ["seasonalWindows", "resourceCodeClassification"];

    [Test]
    public void The_engine_alone_knows_only_the_generic_scopes_formats_and_no_fallback()
    {
        using var engine = new ServiceCollection().AddLogging().AddWorkflowEngine().AddForms().BuildServiceProvider();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(engine.GetRequiredService<AssignmentScopes>().Names, Is.EquivalentTo(new[] { "applicant", "orgUnit" }));
            Assert.That(engine.GetRequiredService<IOptions<AssignmentOptions>>().Value.Fallback, Is.Null);
            Assert.That(engine.GetRequiredService<FormValidator>().Formats.Keys, Has.None.AnyOf(PlatformFormats));
            Assert.That(engine.GetRequiredService<FormValidator>().CustomRules.Keys, Is.Empty);
            Assert.That(engine.GetRequiredService<RoleNames>().Display(Roles.PlatformAdmin), Is.EqualTo(Roles.PlatformAdmin), "a role is an opaque string");
        }
    }

    [Test]
    public void The_platform_modules_add_the_scopes_fallback_formats_and_rules_of_data_sharing()
    {
        var services = new ServiceCollection().AddLogging().AddWorkflowEngine().AddForms();
        services.AddPdsActivities(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AssignmentOptions>>().Value;
        var validator = provider.GetRequiredService<FormValidator>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<AssignmentScopes>().Names, Is.SupersetOf(PlatformScopes));
            Assert.That(options.Fallback, Is.EqualTo(new AssignmentSpec("role") { Role = Roles.PlatformAdmin, Scope = "bureau" }));
            Assert.That(options.KindsActingThroughParent, Is.EquivalentTo(new[] { OrgUnitKinds.SecondaryUnit }));
            Assert.That(validator.Formats.Keys, Is.SupersetOf(PlatformFormats).And.SupersetOf(new[] { "uscc", "mobile", "email", "ip" }));
            Assert.That(validator.CustomRules.Keys, Is.EquivalentTo(PlatformRules));
            Assert.That(provider.GetServices<IStandingCaseParty>().Single(), Is.InstanceOf<BureauParty>());
            Assert.That(provider.GetRequiredService<RoleNames>().Display(Roles.PlatformAdmin), Is.EqualTo("平台管理员"));
            Assert.That(provider.GetRequiredService<RoleNames>().Matching("审批人"), Is.EqualTo(new[] { Roles.ProviderApprover }));
        }
    }

    [Test]
    public void A_form_naming_a_platform_format_loads_only_with_the_platform_module()
    {
        var schema = FormSchemaJson.Parse("""
            { "id": "probe", "version": 1, "title": "探测", "sections": [ { "key": "main", "title": "主要信息", "fields": [
              { "key": "code", "label": "资源代码", "type": "text", "format": "resourceCode" } ] } ] }
            """).Schema!;

        var alone = FormValidator.Default.CheckSchema(schema);
        using var services = new ServiceCollection().AddDataSharing().AddForms().BuildServiceProvider();

        Assert.That(alone.Select(e => e.Message), Has.One.Contains("未知的格式校验器“resourceCode”"));
        Assert.That(services.GetRequiredService<FormValidator>().CheckSchema(schema), Is.Empty);
    }
}
