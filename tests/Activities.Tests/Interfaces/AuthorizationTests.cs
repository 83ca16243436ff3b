using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Activities.Tests.Interfaces;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AuthorizationTests(DatabaseProvider provider) : InterfacesTestBase(provider)
{
    [Test]
    public async Task Authorize_grants_the_mounted_interface_to_a_new_application_and_sends_its_credentials_through_the_outbox()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        var mount = await MountedInterfaceAsync(name: "低保对象核验接口");

        var (instance, authorization, appKey) = await GrantAsync(Form("低保对象核验接口", system: "新系统A", seasonal: false));

        Assert.That((authorization.MountId, authorization.ProviderOrgUnitId, authorization.ConsumerOrgUnitId, authorization.Status),
            Is.EqualTo((mount.Id, Mzj, Consumer, ApiAuthorizationStatus.Active)));
        Assert.That((authorization.TermStart, authorization.TermEnd), Is.EqualTo((new DateOnly(2026, 3, 10), new DateOnly(2027, 3, 9))));
        Assert.That(authorization.AllowedIps, Is.EqualTo(new[] { "59.207.101.21", "10.8.0.0/16", "240e:1::21" }));
        Assert.That((authorization.UsageHours, authorization.DailyPeak), Is.EqualTo(("每日 00:00-24:00", 100)));

        var secret = IssuedSecret(instance);
        await using (var db = InterfacesDb.CreateContext())
        {
            var application = await db.Applications.SingleAsync(a => a.AppKey == appKey);
            Assert.That((application.OrgUnitId, application.Name), Is.EqualTo((Consumer, "新系统A")));
            Assert.That(AppSecrets.Verify(secret, application.SecretHash), Is.True, "the letter's secret opens the gateway");
            Assert.That(application.SecretHash, Is.Not.EqualTo(secret).And.Not.Contain(secret));
        }

        var outbox = await OutboxAsync(instance);
        Assert.That(outbox.Select(m => m.Type), Is.EqualTo(new[] { CredentialDelivery.EmailType, CredentialDelivery.SmsType }));
        var email = JsonNode.Parse(outbox[0].PayloadJson)!;
        Assert.That(email["to"]!.GetValue<string>(), Is.EqualTo("sun.yutong@example.gov.cn"));
        Assert.That(outbox.All(m => !m.PayloadJson.Contains(secret, StringComparison.Ordinal)), "the secret travels only inside the encrypted zip");

        var journal = await JournalAsync(instance);
        Assert.That(journal.Any(j => (j.Message ?? "").Contains(authorization.Id.ToString(), StringComparison.Ordinal)), Is.True);
        Assert.That(journal.Any(j => (j.Message ?? "").Contains(appKey, StringComparison.Ordinal)), Is.True);
        Assert.That(journal.All(j => !(j.Message ?? "").Contains(secret, StringComparison.Ordinal)), "never a secret in the journal");
    }

    [Test]
    public async Task A_second_authorisation_of_the_same_system_reuses_its_application_without_new_credentials()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        await MountedInterfaceAsync(name: "婚姻登记核验接口");
        await MountedInterfaceAsync(name: "户籍核验接口");

        var first = await GrantAsync(Form("婚姻登记核验接口", system: "复用系统"));
        var second = await GrantAsync(Form("户籍核验接口", system: "复用系统"));

        Assert.That(second.AppKey, Is.EqualTo(first.AppKey));
        Assert.That(second.Authorization.ApplicationId, Is.EqualTo(first.Authorization.ApplicationId));
        Assert.That((await OutboxAsync(second.InstanceId)).Select(m => m.Type), Is.EqualTo(new[] { "notify.case" }));
    }

    [Test]
    public async Task A_step_that_already_granted_finds_its_authorisation_and_grants_nothing_twice()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        var mount = await MountedInterfaceAsync(name: "幂等核验接口");
        var definition = new DefinitionBuilder(UniqueId("api-again"))
            .Variable("providerOrgUnitId", Mzj)
            .Add("start", "Start")
            .UserTask("approve", HumanSteps.Users("rsj.admin"))
            .Add("authorize", AuthorizeInterface.Type, ("request", Js("input.form")))
            .Add("end", "End")
            .Chain("start", "approve")
            .Connect("approve:Approve", "authorize")
            .Chain("authorize", "end")
            .Build();
        await PublishAsync(definition);
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definition.DefinitionId)
        {
            Input = new JsonObject { ["form"] = Form("幂等核验接口", system: "幂等系统") },
            Initiator = "rsj.applicant",
        });

        // What a burst that committed the grant and then lost its reply leaves behind: the authorisation under the step's key.
        var earlier = await Interfaces.CreateApplicationAsync(Consumer, "先前登记的系统", "test");
        Guid earlierId;
        await using (var db = InterfacesDb.CreateContext())
        {
            var application = await db.Applications.SingleAsync(a => a.Id == earlier.Value.Id);
            var target = new InterfaceTarget(mount.Id, Guid.NewGuid(), "幂等核验接口", Mzj, "http://127.0.0.1:9/");
            var grant = ApiAuthorization.Grant($"{run.Value.InstanceId:N}/authorize", run.Value.InstanceId, target, Consumer, application,
                new AuthorizationTerms(["10.0.0.1"], new DateOnly(2026, 3, 10), new DateOnly(2026, 6, 1), [], "每日 00:00-24:00", 1, 5), "test", Clock.GetUtcNow().UtcDateTime);
            db.Authorizations.Add(grant);
            await db.SaveChangesAsync();
            earlierId = grant.Id;
        }

        var task = (await Inbox.TasksOfInstanceAsync(run.Value.InstanceId)).Single();
        var approved = await Tasks.ApproveAsync(task.Id, "rsj.admin", "同意");
        Assert.That(approved.IsSuccess, Is.True, approved.ToString());

        var outputs = (await Queries.GetInstanceAsync(run.Value.InstanceId))!.Outputs["authorize"]!;
        Assert.That(outputs["authorizationId"]!.GetValue<string>(), Is.EqualTo(earlierId.ToString()));
        Assert.That(outputs["appKey"]!.GetValue<string>(), Is.EqualTo(earlier.Value.AppKey));
        await using (var db = InterfacesDb.CreateContext())
        {
            Assert.That(await db.Authorizations.CountAsync(a => a.InstanceId == run.Value.InstanceId), Is.EqualTo(1));
            Assert.That(await db.Applications.CountAsync(a => a.Name == "幂等系统"), Is.Zero);
        }

        Assert.That((await OutboxAsync(run.Value.InstanceId)).Where(m => m.Type.StartsWith("credentials.", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task An_interface_the_provider_has_not_mounted_stops_the_step_with_an_incident_and_grants_nothing()
    {
        var definition = new DefinitionBuilder(UniqueId("api-missing"))
            .Variable("providerOrgUnitId", Mzj)
            .Add("start", "Start")
            .Add("authorize", AuthorizeInterface.Type, ("request", Js("input.form")))
            .Add("end", "End")
            .Chain("start", "authorize", "end")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId, new JsonObject { ["form"] = Form("没有挂接的接口") });

        Assert.That(run.FaultMessage, Does.Contain("没有挂接名为“没有挂接的接口”的服务接口"));
        await using var db = InterfacesDb.CreateContext();
        Assert.That(await db.Authorizations.CountAsync(a => a.InstanceId == run.InstanceId), Is.Zero);
    }

    [Test]
    public async Task Status_moves_are_guarded_where_the_status_lives()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        await MountedInterfaceAsync(name: "状态核验接口");
        var (_, authorization, _) = await GrantAsync(Form("状态核验接口", system: "状态系统"));
        var id = authorization.Id;

        Assert.That((await Interfaces.SuspendAsync(id, "mz.approver", " ")).Error?.Code, Is.EqualTo("reason_required"));
        Assert.That((await Interfaces.ResumeAsync(id, "mz.approver")).Error?.Code, Is.EqualTo("authorization_status_conflict"));
        Assert.That((await Interfaces.SuspendAsync(id, "mz.approver", "发现超范围使用")).Value.Status, Is.EqualTo(ApiAuthorizationStatus.Suspended));
        Assert.That((await Interfaces.SuspendAsync(id, "mz.approver", "again")).Error?.Code, Is.EqualTo("authorization_status_conflict"));
        Assert.That((await Interfaces.ResumeAsync(id, "mz.approver", "已整改")).Value.Status, Is.EqualTo(ApiAuthorizationStatus.Active));
        Assert.That((await Interfaces.TerminateAsync(id, "mz.approver", "将数据提供给第三方")).Value.Status, Is.EqualTo(ApiAuthorizationStatus.Terminated));
        Assert.That((await Interfaces.RevokeAsync(id, "mz.approver", "未使用")).Error?.Code, Is.EqualTo("authorization_status_conflict"));
        Assert.That((await Interfaces.ResumeAsync(id, "mz.approver", "x")).Error?.Code, Is.EqualTo("authorization_status_conflict"));
        var stored = await Interfaces.GetAuthorizationAsync(id);
        Assert.That((stored!.Status, stored.StatusReason), Is.EqualTo((ApiAuthorizationStatus.Terminated, "将数据提供给第三方")));
    }

    [Test]
    public async Task Rotating_a_secret_returns_a_new_one_once_and_the_old_one_stops_matching()
    {
        var issued = (await Interfaces.CreateApplicationAsync(Consumer, "轮换系统", "rsj.admin")).Value;
        var rotated = (await Interfaces.RotateSecretAsync(issued.Id, "rsj.admin")).Value;

        Assert.That((rotated.AppKey, rotated.SecretVersion), Is.EqualTo((issued.AppKey, 2)));
        Assert.That(rotated.Secret, Is.Not.EqualTo(issued.Secret));
        Assert.That(Convert.FromBase64String(rotated.Secret.Replace('-', '+').Replace('_', '/') + "="), Has.Length.EqualTo(32));
        await using var db = InterfacesDb.CreateContext();
        var hash = (await db.Applications.SingleAsync(a => a.Id == issued.Id)).SecretHash;
        Assert.That((AppSecrets.Verify(rotated.Secret, hash), AppSecrets.Verify(issued.Secret, hash)), Is.EqualTo((true, false)));
    }
}
