using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;
using static PdsWorkflow.Tests.Support.TestOrganization;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>Multi-approver steps (会签, 或签, 票签) and added signers (加签, 减签).</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SigningTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private async Task<Guid> CommitteeAsync(string mode, double? ratio = null, int members = 5)
    {
        var id = UniqueId(mode);
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("vote", Users(Enumerable.Range(1, members).Select(i => $"member{i}").ToArray()), mode, ratio: ratio)
            .Add("yes", "End", ("result", DefinitionBuilder.Literal("approved")))
            .Add("no", "End", ("result", DefinitionBuilder.Literal("rejected")))
            .Chain("start", "vote").Connect("vote:Approve", "yes").Connect("vote:Reject", "no").Build());
        return (await StartAsAsync(id, "rsj.applicant")).InstanceId;
    }

    private async Task<TaskView> TaskOfAsync(Guid instance, string member) =>
        (await OpenTasksAsync(instance)).Single(t => t.AssigneeId == member);

    private async Task<string?> ResultAsync(Guid instance) => (await Queries.GetInstanceAsync(instance))!.Result?.GetValue<string>();

    [Test]
    public async Task Countersign_all_needs_every_approval()
    {
        var instance = await CommitteeAsync(ApprovalModes.All, members: 3);
        Assert.That((await OpenTasksAsync(instance)).Select(t => t.AssigneeId), Is.EquivalentTo(new[] { "member1", "member2", "member3" }));

        Ok(await Tasks.ApproveAsync((await TaskOfAsync(instance, "member1")).Id, "member1", null));
        Ok(await Tasks.ApproveAsync((await TaskOfAsync(instance, "member3")).Id, "member3", null));
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended));

        Ok(await Tasks.ApproveAsync((await TaskOfAsync(instance, "member2")).Id, "member2", null));
        Assert.That(await ResultAsync(instance), Is.EqualTo("approved"));
        var decidedBy = (await Queries.GetInstanceAsync(instance))!.Outputs["vote"]!["decidedBy"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(decidedBy, Is.EquivalentTo(new[] { "member1", "member2", "member3" }));
    }

    [Test]
    public async Task Countersign_all_is_rejected_by_one_rejection_and_the_others_are_cancelled()
    {
        var instance = await CommitteeAsync(ApprovalModes.All, members: 3);
        Ok(await Tasks.ApproveAsync((await TaskOfAsync(instance, "member1")).Id, "member1", null));
        var member2 = await TaskOfAsync(instance, "member2");

        Ok(await Tasks.RejectAsync(member2.Id, "member2", "涉及个人隐私"));

        Assert.That(await ResultAsync(instance), Is.EqualTo("rejected"));
        var tasks = await Inbox.TasksOfInstanceAsync(instance);
        Assert.That(tasks.Single(t => t.AssigneeId == "member3").Status, Is.EqualTo(TaskStatuses.Cancelled));
    }

    [Test]
    public async Task Or_sign_any_is_decided_by_the_first_decision()
    {
        var approved = await CommitteeAsync(ApprovalModes.Any, members: 3);
        Ok(await Tasks.ApproveAsync((await TaskOfAsync(approved, "member2")).Id, "member2", null));
        Assert.That(await ResultAsync(approved), Is.EqualTo("approved"));
        Assert.That((await Inbox.TasksOfInstanceAsync(approved)).Count(t => t.Status == TaskStatuses.Cancelled), Is.EqualTo(2));

        var rejected = await CommitteeAsync(ApprovalModes.Any, members: 3);
        Ok(await Tasks.RejectAsync((await TaskOfAsync(rejected, "member3")).Id, "member3", "不符合条件"));
        Assert.That(await ResultAsync(rejected), Is.EqualTo("rejected"));
    }

    [Test]
    public async Task Vote_ratio_passes_once_enough_approve_and_fails_once_it_cannot_pass()
    {
        // 5 members at 60%: 3 approvals pass; 3 rejections leave at most 2 approvals, so it fails.
        var passing = await CommitteeAsync(ApprovalModes.Ratio, 0.6);
        Ok(await Tasks.ApproveAsync((await TaskOfAsync(passing, "member1")).Id, "member1", null));
        Ok(await Tasks.RejectAsync((await TaskOfAsync(passing, "member2")).Id, "member2", "反对"));
        Ok(await Tasks.ApproveAsync((await TaskOfAsync(passing, "member3")).Id, "member3", null));
        Assert.That(await InstanceStatusAsync(passing), Is.EqualTo(WorkflowStatus.Suspended));
        Ok(await Tasks.ApproveAsync((await TaskOfAsync(passing, "member4")).Id, "member4", null));
        Assert.That(await ResultAsync(passing), Is.EqualTo("approved"));

        var failing = await CommitteeAsync(ApprovalModes.Ratio, 0.6);
        foreach (var member in new[] { "member1", "member2" })
            Ok(await Tasks.RejectAsync((await TaskOfAsync(failing, member)).Id, member, "反对"));
        Assert.That(await InstanceStatusAsync(failing), Is.EqualTo(WorkflowStatus.Suspended));
        Ok(await Tasks.RejectAsync((await TaskOfAsync(failing, "member5")).Id, "member5", "反对"));
        Assert.That(await ResultAsync(failing), Is.EqualTo("rejected"));
    }

    private async Task<(Guid Instance, TaskView Task)> SingleApproverAsync()
    {
        var id = UniqueId("sign");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").UserTask("review", Users("gaj.approver1"))
            .Add("yes", "End", ("result", DefinitionBuilder.Literal("approved")))
            .Add("no", "End", ("result", DefinitionBuilder.Literal("rejected")))
            .Chain("start", "review").Connect("review:Approve", "yes").Connect("review:Reject", "no").Build());
        var instance = (await StartAsAsync(id, "rsj.applicant")).InstanceId;
        return (instance, await OpenTaskAsync(instance, "review"));
    }

    [Test]
    public async Task Signer_added_before_gives_an_opinion_first_then_the_step_returns_to_its_holder()
    {
        var (instance, task) = await SingleApproverAsync();

        var signer = Ok(await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "gaj.staff", SignerKinds.Before, "请先核实数据项"));
        Assert.That((await Inbox.GetAsync(task.Id))!.Status, Is.EqualTo(TaskStatuses.Waiting));
        Assert.That(Refusal(await Tasks.ApproveAsync(task.Id, "gaj.approver1", null)), Is.EqualTo("task_not_open"));

        Ok(await Tasks.ApproveAsync(signer.Id, "gaj.staff", "数据项无误"));
        Assert.That((await Inbox.GetAsync(task.Id))!.Status, Is.EqualTo(TaskStatuses.Open));
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended), "an opinion does not decide the step");

        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", null));
        Assert.That(await ResultAsync(instance), Is.EqualTo("approved"));
        Assert.That((await Inbox.GetAsync(signer.Id))!.Vote, Is.EqualTo(Votes.Opinion));
    }

    [Test]
    public async Task Signer_added_after_must_also_approve_and_can_reject()
    {
        var (instance, task) = await SingleApproverAsync();
        var signer = Ok(await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "gaj.approver2", SignerKinds.After, "请复核"));
        Assert.That(signer.Status, Is.EqualTo(TaskStatuses.Pending));

        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", null));
        Assert.That((await Inbox.GetAsync(signer.Id))!.Status, Is.EqualTo(TaskStatuses.Open), "the later signer's turn");
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended));

        Ok(await Tasks.RejectAsync(signer.Id, "gaj.approver2", "复核不通过"));
        Assert.That(await ResultAsync(instance), Is.EqualTo("rejected"));
    }

    [Test]
    public async Task A_signer_can_be_removed_until_they_act()
    {
        var (_, task) = await SingleApproverAsync();
        var early = Ok(await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "gaj.staff", SignerKinds.Before, null));
        Assert.That(Refusal(await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "gaj.staff", SignerKinds.Before, null)), Is.EqualTo("task_not_open"),
            "a waiting task cannot add more");

        Ok(await Tasks.RemoveSignerAsync(task.Id, "gaj.approver1", early.Id, "不需要了"));
        Assert.That((await Inbox.GetAsync(early.Id))!.Status, Is.EqualTo(TaskStatuses.Cancelled));
        Assert.That((await Inbox.GetAsync(task.Id))!.Status, Is.EqualTo(TaskStatuses.Open));

        var late = Ok(await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "gaj.admin", SignerKinds.Before, null));
        Ok(await Tasks.CommentAsync(late.Id, "gaj.admin", "我先看看"));
        Assert.That(Refusal(await Tasks.RemoveSignerAsync(task.Id, "gaj.approver1", late.Id, null)), Is.EqualTo("signer_acted"));
        Assert.That(Refusal(await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "x", "Sideways", null)), Is.EqualTo("invalid_signer_position"));
    }
}
