using System.Text.Json.Nodes;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>P6 interface requests, objections, P7 national and provincial data, and dispute coordination.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class InterfaceAndOtherProcessTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    /// <summary>
    /// An interface request for 市公安局's conditional interface, or its unconditional one (<paramref name="direct"/>: the
    /// platform authorises it itself). A county department's request goes through its county authority because the
    /// organisation records say the applicant is one, not because the form says so.
    /// </summary>
    private static JsonObject Interface(bool viaCounty = false, bool direct = false)
    {
        var form = FormExamples.InterfaceRequest();
        if (viaCounty) form["departmentFormScan"] = FormExamples.File("部门申请表.pdf");
        if (direct)
        {
            form["resourceCode"] = ProcessCatalog.UnconditionalApi;
            form["interfaceName"] = ProcessCatalog.UnconditionalInterface;
        }

        return form;
    }

    /// <summary>A subscription form for a resource of the city catalog, as a child case receives it (without the parent's files).</summary>
    private static JsonObject Subscription(string resourceCode)
    {
        var form = FormExamples.ResourceSubscription();
        form["resourceCode"] = resourceCode;
        form.Remove("stampedScan");
        return form;
    }

    /// <summary>A request for provincial data the city catalog does not hold: it is forwarded to the province.</summary>
    private static JsonObject Provincial()
    {
        var form = FormExamples.ProvincialRequest();
        form["stampedScan"] = FormExamples.File("库表申请表（盖章）.pdf");
        return form;
    }

    [Test]
    public async Task A_municipal_interface_request_is_accepted_approved_by_the_provider_authorised_and_answered()
    {
        // Received Mon 03-02: acceptance within 3 WD (Thu 03-05). Accepted Tue 03-03: provider 5 WD (Tue 03-10).
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("interface-request", "rsj.applicant", Interface());
        var accept = await StepAsync(instance, "accept");
        Assert.That(accept.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 5, 23, 59, 59, Beijing)));

        Clock.Set(new DateTimeOffset(2026, 3, 3, 10, 0, 0, Beijing));
        Ok(await Tasks.ApproveAsync(accept.Id, "support1", "材料齐全，予以受理"));
        var approval = await StepAsync(instance, "providerApproval");
        Assert.That(approval.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 23, 59, 59, Beijing)));

        // Authorised Mon 03-09: the platform answers within 1 WD (Tue 03-10).
        Clock.Set(new DateTimeOffset(2026, 3, 9, 16, 0, 0, Beijing));
        Ok(await Tasks.ApproveAsync(approval.Id, "gaj.approver2", "同意授权"));
        var answer = await StepAsync(instance, "answer");
        Assert.That(answer.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 23, 59, 59, Beijing)));
        Ok(await Tasks.ApproveAsync(answer.Id, "support1", "已答复"));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("authorized"));
        Assert.That(ExchangeDoubles.Of(instance).Single().Type, Is.EqualTo(AuthorizeInterface.Type));
    }

    [Test]
    public async Task A_county_request_is_reviewed_by_the_county_authority_and_a_directly_authorised_interface_skips_the_provider()
    {
        var instance = await ApplyAsync("interface-request", "yx.applicant", Interface(viaCounty: true, direct: true));

        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "countyReview")).Id, "yx.admin", "同意代为申请"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "accept")).Id, "support1", null));
        var direct = await StepAsync(instance, "platformAuthorize");
        Assert.That(await CandidatesAsync(direct), Is.EqualTo(new[] { "admin1", "admin2" }));
        Ok(await Tasks.ApproveAsync(direct.Id, "admin1", null));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "answer")).Id, "support1", null));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("authorized"));
        Assert.That((await Inbox.TasksOfInstanceAsync(instance)).Select(t => t.ActivityId), Does.Not.Contain("providerApproval"));
    }

    [Test]
    public async Task An_incomplete_interface_request_is_not_accepted_with_the_reason()
    {
        var instance = await ApplyAsync("interface-request", "rsj.applicant", Interface());
        Ok(await Tasks.RejectAsync((await StepAsync(instance, "accept")).Id, "support1", "缺少系统安全等级保护备案证明"));
        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("rejected"));
        Assert.That(ExchangeDoubles.Of(instance), Is.Empty);
    }

    [Test]
    public async Task An_objection_is_answered_by_the_provider_within_three_working_days()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("objection", "yx.applicant", FormExamples.ObjectionReport());

        var reply = await StepAsync(instance, "reply");
        Assert.That(reply.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 5, 23, 59, 59, Beijing)));
        Ok(await Tasks.ApproveAsync(reply.Id, "gaj.approver1", "已更正", FormExamples.ObjectionReply()));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("replied"));
        Assert.That((await Queries.GetInstanceAsync(instance))!.Variables["form"]!["replyResult"]!.GetValue<string>(), Is.EqualTo("corrected"));
    }

    [Test]
    public async Task Provincial_data_not_yet_proxied_is_forwarded_and_proxied_after_the_province_agrees()
    {
        var instance = await ApplyAsync("provincial-resource", "rsj.applicant", Provincial(), new JsonObject { ["proxied"] = false });
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "forwardStep")).Id, "section1", "同意转交"));
        Assert.That(ExchangeDoubles.Of(instance).Single().Type, Is.EqualTo(ForwardToProvince.Type));

        var decisions = await Runtime.PublishEventAsync("ProvincialDecision", $"PROV-{instance:N}",
            new JsonObject { ["approved"] = true, ["province"] = "河南省公安厅" }, "province");
        Assert.That(decisions.Single().IsSuccess, Is.True);
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "integrate")).Id, "support1", "已协助对接"));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("proxied"));
        Assert.That(ExchangeDoubles.Of(instance).Select(c => c.Type), Is.EqualTo(new[] { ForwardToProvince.Type, RegisterProxiedResource.Type }));
    }

    [Test]
    public async Task A_provincial_refusal_is_passed_on_to_the_applicant()
    {
        var instance = await ApplyAsync("provincial-resource", "rsj.applicant", Provincial(), new JsonObject { ["proxied"] = false });
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "forwardStep")).Id, "section1", null));
        await Runtime.PublishEventAsync("ProvincialDecision", $"PROV-{instance:N}", new JsonObject { ["approved"] = false, ["reason"] = "涉及国家秘密" }, "province");

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("rejected"));
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
    }

    [Test]
    public async Task Already_proxied_data_runs_the_ordinary_subscription_as_a_child_case()
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest("provincial-resource")
        {
            Initiator = "rsj.applicant",
            Input = new JsonObject { ["proxied"] = true, ["requestKind"] = "table", ["shareType"] = 1, ["form"] = Subscription(ProcessCatalog.Unconditional) },
        });
        var child = (await Queries.GetChildInstanceIdsAsync(run.Value.InstanceId)).Single();
        var submit = await StepAsync(child, "submit");
        Ok(await Tasks.ApproveAsync(submit.Id, "rsj.applicant", null, new JsonObject { ["stampedScan"] = await UploadAsync(submit.Id, "rsj.applicant", "库表申请表.pdf") }));
        Ok(await Tasks.ApproveAsync((await StepAsync(child, "platformExchange")).Id, "support1", null));

        Assert.That(await OutcomeAsync(child), Is.EqualTo((WorkflowStatus.Finished, (string?)"exchanged")));
        Assert.That(await OutcomeAsync(run.Value.InstanceId), Is.EqualTo((WorkflowStatus.Finished, (string?)"exchanged")));
    }

    [TestCase(true, "resolved")]
    [TestCase(false, "escalated")]
    public async Task A_dispute_is_coordinated_by_the_bureau_and_unresolved_ones_go_to_the_city_government(bool resolved, string result)
    {
        var instance = await ApplyAsync("dispute", "rsj.applicant", FormExamples.ShareDispute());
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "convene")).Id, "section1", "已组织双方协调"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "providerOpinion")).Id, "gaj.admin", "涉及个人隐私，需脱敏"));
        var decide = await StepAsync(instance, "decide");
        if (resolved) Ok(await Tasks.ApproveAsync(decide.Id, "section1", "约定脱敏后共享"));
        else
        {
            Ok(await Tasks.RejectAsync(decide.Id, "section1", "双方未达成一致"));
            Ok(await Tasks.ApproveAsync((await StepAsync(instance, "cityGovernment")).Id, "admin1", "已报市政府"));
        }

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo(result));
    }

    [Test]
    public async Task A_county_authority_or_a_direct_authorisation_may_refuse_an_interface_request()
    {
        var atCounty = await ApplyAsync("interface-request", "yx.applicant", Interface(viaCounty: true));
        Ok(await Tasks.RejectAsync((await StepAsync(atCounty, "countyReview")).Id, "yx.admin", "用途与本部门职责不符"));

        var direct = await ApplyAsync("interface-request", "rsj.applicant", Interface(direct: true));
        Ok(await Tasks.ApproveAsync((await StepAsync(direct, "accept")).Id, "support1", null));
        Ok(await Tasks.RejectAsync((await StepAsync(direct, "platformAuthorize")).Id, "admin2", "该接口须经提供方审批"));

        foreach (var instance in new[] { atCounty, direct })
        {
            Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("rejected"));
            Assert.That(ExchangeDoubles.Of(instance), Is.Empty);
            Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_provider_that_misses_the_three_days_to_answer_an_objection_is_flagged_and_the_section_told()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("objection", "yx.applicant", FormExamples.ObjectionReport());

        Clock.Set(new DateTimeOffset(2026, 3, 6, 0, 0, 1, Beijing));
        await Runtime.TriggerDueBookmarksAsync();

        Assert.That((await StepAsync(instance, "reply")).Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Red));
        Assert.That(await OutboxAsync(instance, "notify.task-overdue"), Is.EqualTo(1));
        Assert.That((await JournalAsync(instance)).Any(j => j.Message?.StartsWith("已超期", StringComparison.Ordinal) == true), Is.True);
    }

    [Test]
    public async Task Withdrawing_before_submission_ends_objections_provincial_requests_and_disputes()
    {
        foreach (var (definition, first, input) in new[]
        {
            ("objection", "report", new JsonObject()),
            ("provincial-resource", "submit", new JsonObject { ["proxied"] = false }),
            ("dispute", "describe", new JsonObject()),
        })
        {
            var run = await Runtime.StartAsync(new StartWorkflowRequest(definition) { Initiator = "rsj.applicant", Input = input });
            Ok(await Tasks.RejectAsync((await StepAsync(run.Value.InstanceId, first)).Id, "rsj.applicant", "不再需要"));
            Assert.That((await OutcomeAsync(run.Value.InstanceId)).Result, Is.AnyOf("withdrawn", "abandoned"), definition);
        }
    }

    [Test]
    public async Task A_provider_may_answer_an_objection_by_disagreeing_and_the_applicant_is_told()
    {
        // The platform records the report day from the clock; the reply (dated 2026-03-04) may not be earlier.
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("objection", "yx.applicant", FormExamples.ObjectionReport());
        var reply = FormExamples.ObjectionReply();
        reply["replyResult"] = "verifiedCorrect";
        reply.Remove("correctedOn");
        // Replied on the day the platform recorded the report (a reply cannot predate it).
        reply["repliedOn"] = (await Queries.GetInstanceAsync(instance))!.Variables["form"]!["reportedOn"]!.DeepClone();

        var answered = await Tasks.RejectAsync((await StepAsync(instance, "reply")).Id, "gaj.approver2", "经核实数据无误", reply);

        Assert.That(answered.IsSuccess, Is.True, answered.ToString() + string.Join("; ", answered.Error?.Errors.Select(e => e.Message) ?? []));
        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("replied"));
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
    }
}
