using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Workflows.Tests.Forms;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>A step's form: validated with zh-CN field errors, field permissions enforced, merged into the case's form.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class TaskFormTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    internal static readonly JsonObject ReplyOnly = new()
    {
        ["default"] = "readOnly",
        ["fields"] = new JsonObject
        {
            ["replyResult"] = "editable", ["replyContent"] = "editable", ["correctedOn"] = "editable",
            ["repliedBy"] = "editable", ["repliedOn"] = "editable", ["contactEmail"] = "hidden",
        },
    };

    internal static readonly JsonObject ReportOnly = new()
    {
        ["default"] = "editable",
        ["fields"] = new JsonObject
        {
            ["replyResult"] = "hidden", ["replyContent"] = "hidden", ["correctedOn"] = "hidden", ["repliedBy"] = "hidden", ["repliedOn"] = "hidden",
        },
    };

    /// <summary>The demand side reports an objection (异议), the provider replies on the same form.</summary>
    private async Task<Guid> ObjectionAsync()
    {
        var id = UniqueId("objection");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("report", Initiator(), form: "data-objection", permissions: ReportOnly)
            .UserTask("reply", Users("gaj.approver1"), form: "data-objection", permissions: ReplyOnly)
            .Add("end", "End")
            .Chain("start", "report").Connect("report:Approve", "reply").Connect("reply:Approve", "end").Build());
        return (await StartAsAsync(id, "yx.applicant")).InstanceId;
    }

    [Test]
    public async Task Field_errors_come_back_in_Chinese_by_field_and_nothing_is_written()
    {
        var instance = await ObjectionAsync();
        var report = await OpenTaskAsync(instance, "report");
        var bad = FormExamples.ObjectionReportAsSent();
        bad["contactPhone"] = "12345";
        bad["contactEmail"] = "li.wenbo@";

        var refused = await Tasks.ApproveAsync(report.Id, "yx.applicant", "提交", bad);

        Assert.That(refused.Error?.Code, Is.EqualTo("form_invalid"));
        Assert.That(refused.Error!.Errors.Select(e => e.Input), Is.EquivalentTo(new[] { "contactPhone", "contactEmail" }));
        Assert.That(refused.Error.Errors.Single(e => e.Input == "contactEmail").Message, Does.Contain("邮箱"));
        Assert.That((await Inbox.GetAsync(report.Id))!.Status, Is.EqualTo(TaskStatuses.Open));
        Assert.That((await Queries.GetInstanceAsync(instance))!.Variables.ContainsKey("form"), Is.False);
    }

    [Test]
    public async Task A_draft_may_leave_required_fields_empty_but_a_submission_may_not()
    {
        var instance = await ObjectionAsync();
        var report = await OpenTaskAsync(instance, "report");

        Ok(await Tasks.SaveFormAsync(report.Id, "yx.applicant", new JsonObject { ["resourceCode"] = "10100101/0102" }));
        Assert.That((await Queries.GetInstanceAsync(instance))!.Variables["form"]!["resourceCode"]!.GetValue<string>(), Is.EqualTo("10100101/0102"));

        var incomplete = await Tasks.ApproveAsync(report.Id, "yx.applicant", null, new JsonObject { ["resourceCode"] = "10100101/0102" });
        Assert.That(incomplete.Error?.Code, Is.EqualTo("form_invalid"));
        Assert.That(incomplete.Error!.Errors.Select(e => e.Code), Has.All.EqualTo("required"));
    }

    [Test]
    public async Task The_reply_step_may_edit_only_its_fields_and_the_case_form_keeps_both()
    {
        var instance = await ObjectionAsync();
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "report")).Id, "yx.applicant", "提交", FormExamples.ObjectionReportAsSent()));
        var reply = await OpenTaskAsync(instance, "reply");

        var tampering = FormExamples.ObjectionReply();
        tampering["description"] = "改成别的问题描述";
        var refused = await Tasks.ApproveAsync(reply.Id, "gaj.approver1", null, tampering);
        Assert.That(refused.Error!.Errors.Select(e => (e.Input, e.Code)), Is.EqualTo(new[] { ("description", (string?)"readOnly") }));
        var peeking = FormExamples.ObjectionReply();
        peeking["contactEmail"] = "x@example.gov.cn";
        Assert.That((await Tasks.ApproveAsync(reply.Id, "gaj.approver1", null, peeking)).Error!.Errors.Single().Code, Is.EqualTo("hidden"));

        Ok(await Tasks.ApproveAsync(reply.Id, "gaj.approver1", "已更正", FormExamples.ObjectionReply()));

        var form = (await Queries.GetInstanceAsync(instance))!.Variables["form"]!;
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Finished));
        Assert.That((form["resourceCode"]!.GetValue<string>(), form["replyResult"]!.GetValue<string>()), Is.EqualTo(("10100101/0102", "corrected")));
        var saved = (await JournalAsync(instance)).Where(j => j.Outcome == TaskActions.SaveForm).ToList();
        Assert.That(saved.Last().Outputs!["replyContent"]!.GetValue<string>(), Does.StartWith("经核实"), "the journal records what changed");
    }

    [Test]
    public async Task Approving_without_new_values_still_needs_a_complete_form_but_a_read_only_step_does_not()
    {
        var instance = await ObjectionAsync();
        var report = await OpenTaskAsync(instance, "report");

        var refused = await Tasks.ApproveAsync(report.Id, "yx.applicant", "提交");
        Assert.That(refused.Error?.Code, Is.EqualTo("form_invalid"));
        Assert.That(refused.Error!.Errors.Select(e => e.Input), Does.Contain("resourceCode"));

        Ok(await Tasks.SaveFormAsync(report.Id, "yx.applicant", FormExamples.ObjectionReportAsSent()));
        Ok(await Tasks.ApproveAsync(report.Id, "yx.applicant", "提交"));
        var reply = await OpenTaskAsync(instance, "reply");
        var missingReply = await Tasks.ApproveAsync(reply.Id, "gaj.approver1", null);
        Assert.That(missingReply.Error!.Errors.Select(e => e.Input), Does.Contain("replyResult"), "the reply fields are editable here, so required");
    }
}
