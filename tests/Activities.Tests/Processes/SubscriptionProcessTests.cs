using System.Text.Json.Nodes;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>P4/P5: subscriptions by share type, same level and across levels, with the statutory time limits.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SubscriptionProcessTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private static JsonObject Form(string resourceType = "table")
    {
        var form = FormExamples.ResourceSubscription();
        form["resourceType"] = resourceType;
        if (resourceType != "table") form["requestedFields"] = "无";
        return form;
    }

    /// <summary>Subscribes to 市公安局's resource of this share type: the catalog entry decides the route, not the applicant.</summary>
    private Task<Guid> SubscribeAsync(int shareType, JsonObject form, string applicant = "rsj.applicant")
    {
        form["resourceCode"] = ProcessCatalog.OfShareType(shareType);
        return ApplyAsync("subscription", applicant, form);
    }

    [Test]
    public async Task Unconditional_share_is_exchanged_by_the_platform_within_three_working_days()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await SubscribeAsync(1, Form());

        var exchange = await StepAsync(instance, "platformExchange");
        Assert.That(exchange.AssigneeId, Is.EqualTo("support1"));
        Assert.That(exchange.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 5, 23, 59, 59, Beijing)));
        Ok(await Tasks.ApproveAsync(exchange.Id, "support1", "已交换"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"exchanged")));
        var call = ExchangeDoubles.Of(instance).Single();
        Assert.That((call.Type, call.Inputs["targetLevel"]!.GetValue<string>()), Is.EqualTo((ExchangeTable.Type, "city")));
    }

    [Test]
    public async Task Conditional_share_waits_for_the_providers_approval_within_five_working_days_then_the_platform_exchanges()
    {
        // Received Fri 2026-04-03: 04-04..04-06 are Qingming; days 04-07, 08, 09, 10 and Mon 04-13.
        Clock.Set(new DateTimeOffset(2026, 4, 3, 9, 0, 0, Beijing));
        var instance = await SubscribeAsync(2, Form("file"));

        var approval = await StepAsync(instance, "providerApproval");
        Assert.That(await CandidatesAsync(approval), Is.EqualTo(new[] { "gaj.approver1", "gaj.approver2" }));
        Assert.That(approval.DueAt, Is.EqualTo(new DateTimeOffset(2026, 4, 13, 23, 59, 59, Beijing)));

        // Authorised Wed 04-08: the platform's three working days are 04-09, 04-10 and Mon 04-13.
        Clock.Set(new DateTimeOffset(2026, 4, 8, 15, 0, 0, Beijing));
        Ok(await Tasks.ApproveAsync(approval.Id, "gaj.approver1", "同意，限用于企业开办核验"));
        var exchange = await StepAsync(instance, "platformExchange");
        Assert.That(exchange.DueAt, Is.EqualTo(new DateTimeOffset(2026, 4, 13, 23, 59, 59, Beijing)));
        Ok(await Tasks.ApproveAsync(exchange.Id, "support1", null));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("exchanged"));
        Assert.That(ExchangeDoubles.Of(instance).Single().Type, Is.EqualTo(ExchangeFiles.Type));
    }

    [Test]
    public async Task A_provider_refusal_needs_a_reason_and_ends_the_subscription_with_a_notice()
    {
        var instance = await SubscribeAsync(2, Form());
        var approval = await StepAsync(instance, "providerApproval");

        Assert.That((await Tasks.RejectAsync(approval.Id, "gaj.approver2", "")).Error?.Code, Is.EqualTo("reason_required"));
        Ok(await Tasks.RejectAsync(approval.Id, "gaj.approver2", "申请用途超出共享条件"));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("rejected"));
        Assert.That(ExchangeDoubles.Of(instance), Is.Empty);
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
    }

    [Test]
    public async Task Not_shared_resources_cannot_be_submitted_and_the_refusal_points_to_coordination()
    {
        var run = Ok(await Runtime.StartAsync(new StartWorkflowRequest("subscription") { Initiator = "rsj.applicant" }));
        var submit = (await OpenAsync(run.InstanceId)).Single();
        var form = Form();
        form["resourceCode"] = ProcessCatalog.NotShared;

        var refused = await Tasks.ApproveAsync(submit.Id, "rsj.applicant", "提交申请", await AsSentAsync(submit.Id, "rsj.applicant", form));

        Assert.That(refused.Error?.Code, Is.EqualTo("resource_not_shared"));
        var error = refused.Error!.Errors.Single(e => e.Input == "resourceCode");
        Assert.That(error.Message, Does.Contain("不予共享").And.Contain("共享争议协调").And.Contain("个人信息保护法"));
        Assert.That((await OpenAsync(run.InstanceId)).Single().Id, Is.EqualTo(submit.Id), "the case stays with the applicant");
        Assert.That(ExchangeDoubles.Of(run.InstanceId), Is.Empty);
    }

    [Test]
    public async Task A_county_department_subscribing_city_data_is_served_into_the_county_front_end_database()
    {
        var instance = await SubscribeAsync(1, Form(), applicant: "yx.applicant");
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "platformExchange")).Id, "support1", null));

        Assert.That(ExchangeDoubles.Of(instance).Single().Inputs["targetLevel"]!.GetValue<string>(), Is.EqualTo("county"));
    }

    [Test]
    public async Task A_provider_past_its_five_days_is_flagged_and_the_section_is_told()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await SubscribeAsync(2, Form());

        Clock.Set(new DateTimeOffset(2026, 3, 10, 0, 0, 1, Beijing));
        await Runtime.TriggerDueBookmarksAsync();

        Assert.That((await StepAsync(instance, "providerApproval")).Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Red));
        Assert.That(await OutboxAsync(instance, "notify.task-overdue"), Is.EqualTo(1));
        Assert.That(await OutboxAsync(instance, "notify.task-due-soon"), Is.GreaterThanOrEqualTo(1), "the provider was reminded when yellow");
    }
}
