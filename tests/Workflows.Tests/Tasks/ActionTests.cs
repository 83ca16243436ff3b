using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
public sealed class ActionTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    /// <summary>The provider department's approvers (a pool of two) approve or reject; each ends differently.</summary>
    private async Task<(RunResult Run, TaskView Task)> ProviderApprovalAsync()
    {
        var id = UniqueId("approve");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("review", Role(Roles.ProviderApprover, "provider"))
            .Add("yes", "End", ("result", DefinitionBuilder.Literal("approved")))
            .Add("no", "End", ("result", DefinitionBuilder.Literal("rejected")))
            .Chain("start", "review").Connect("review:Approve", "yes").Connect("review:Reject", "no").Build());
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        return (run, await OpenTaskAsync(run.InstanceId, "review"));
    }

    [Test]
    public async Task Claim_takes_a_pool_task_and_release_puts_it_back()
    {
        var (_, task) = await ProviderApprovalAsync();

        var claimed = Ok(await Tasks.ClaimAsync(task.Id, "gaj.approver1"));
        Assert.That(claimed.AssigneeId, Is.EqualTo("gaj.approver1"));
        Assert.That(Refusal(await Tasks.ClaimAsync(task.Id, "gaj.approver2")), Is.EqualTo("task_claimed_by_other"));
        Assert.That(Refusal(await Tasks.ClaimAsync(task.Id, "rsj.approver")), Is.EqualTo("task_claimed_by_other"));
        Assert.That(Refusal(await Tasks.ReleaseAsync(task.Id, "gaj.approver2")), Is.EqualTo("not_task_holder"));

        var released = Ok(await Tasks.ReleaseAsync(task.Id, "gaj.approver1"));
        Assert.That(released.AssigneeId, Is.Null);
        Assert.That(Ok(await Tasks.ClaimAsync(task.Id, "gaj.approver2")).AssigneeId, Is.EqualTo("gaj.approver2"));
    }

    [Test]
    public async Task Two_users_claiming_one_task_at_once_one_wins()
    {
        for (var round = 0; round < 6; round++)
        {
            var (_, task) = await ProviderApprovalAsync();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var first = Task.Run(async () => { await gate.Task; return await Tasks.ClaimAsync(task.Id, "gaj.approver1"); });
            var second = Task.Run(async () => { await gate.Task; return await Tasks.ClaimAsync(task.Id, "gaj.approver2"); });
            gate.SetResult();
            var results = await Task.WhenAll(first, second);

            Assert.That(results.Count(r => r.IsSuccess), Is.EqualTo(1), string.Join(" | ", results));
            Assert.That(results.Single(r => !r.IsSuccess).Error!.Code, Is.EqualTo("task_claimed_by_other"));
            var holder = (await Inbox.GetAsync(task.Id))!.AssigneeId;
            Assert.That(holder, Is.EqualTo(results.Single(r => r.IsSuccess).Value.AssigneeId));
            var claims = (await Inbox.ActionsOfInstanceAsync(task.InstanceId)).Count(a => a.Action == TaskActions.Claim);
            Assert.That(claims, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Approve_completes_the_step_with_the_approve_outcome_and_is_audited_and_journaled()
    {
        var (run, task) = await ProviderApprovalAsync();

        var approved = Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver2", "同意共享"));

        var instance = await Queries.GetInstanceAsync(run.InstanceId);
        var actions = await Inbox.ActionsOfInstanceAsync(run.InstanceId);
        var journal = await JournalAsync(run.InstanceId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((approved.Status, approved.Vote, approved.CompletedBy), Is.EqualTo((TaskStatuses.Completed, Votes.Approve, "gaj.approver2")));
            Assert.That(instance!.Status, Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(instance.Result?.GetValue<string>(), Is.EqualTo("approved"));
            Assert.That(instance.Outputs["review"]!["comment"]!.GetValue<string>(), Is.EqualTo("同意共享"));
            Assert.That(actions.Select(a => a.Action), Is.EqualTo(new[] { TaskActions.Created, TaskActions.Claim, TaskActions.Approve }),
                "acting on a pool task claims it first");
            var approve = actions.Single(a => a.Action == TaskActions.Approve);
            Assert.That((approve.Actor, approve.Comment), Is.EqualTo(("gaj.approver2", "同意共享")));
            Assert.That(JsonNode.Parse(approve.BeforeJson!)!["status"]!.GetValue<string>(), Is.EqualTo(TaskStatuses.Open));
            Assert.That(JsonNode.Parse(approve.AfterJson!)!["status"]!.GetValue<string>(), Is.EqualTo(TaskStatuses.Completed));
            Assert.That(journal.Where(j => j.EventName == JournalEvents.TaskAction).Select(j => j.Outcome), Is.EqualTo(new[] { TaskActions.Claim, TaskActions.Approve }));
            Assert.That(journal.Single(j => j.EventName == JournalEvents.ActivityCompleted && j.ActivityId == "review").Outcome, Is.EqualTo("Approve"));
            Assert.That((await Verifier.VerifyAsync(run.InstanceId))!.IsIntact, Is.True);
        }
    }

    [Test]
    public async Task Reject_needs_a_reason_and_takes_the_reject_outcome()
    {
        var (run, task) = await ProviderApprovalAsync();

        Assert.That(Refusal(await Tasks.RejectAsync(task.Id, "gaj.approver1", "  ")), Is.EqualTo("reason_required"));
        Assert.That((await Inbox.GetAsync(task.Id))!.Status, Is.EqualTo(TaskStatuses.Open), "a refusal changes nothing");
        Ok(await Tasks.RejectAsync(task.Id, "gaj.approver1", "申请用途与共享条件不符"));

        var instance = await Queries.GetInstanceAsync(run.InstanceId);
        Assert.That(instance!.Result?.GetValue<string>(), Is.EqualTo("rejected"));
    }

    [Test]
    public async Task Someone_who_is_not_a_candidate_is_refused_and_a_done_task_cannot_be_done_again()
    {
        var (_, task) = await ProviderApprovalAsync();
        Assert.That(Refusal(await Tasks.ApproveAsync(task.Id, "rsj.approver", null)), Is.EqualTo("not_task_holder"));
        Assert.That(Refusal(await Tasks.ApproveAsync(Guid.NewGuid(), "gaj.approver1", null)), Is.EqualTo("task_not_found"));

        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", null));
        var again = await Tasks.ApproveAsync(task.Id, "gaj.approver1", null);
        Assert.That(again.Error?.Code, Is.EqualTo("task_not_open"));
        Assert.That(again.Error!.Detail, Does.Contain("gaj.approver1"));
    }

    [Test]
    public async Task Transfer_moves_the_task_to_another_person_who_alone_may_act()
    {
        var (run, task) = await ProviderApprovalAsync();
        Assert.That(Refusal(await Tasks.TransferAsync(task.Id, "gaj.approver1", "nobody", null)), Is.EqualTo("unknown_user"));
        Assert.That(Refusal(await Tasks.TransferAsync(task.Id, "gaj.approver1", "gaj.approver1", null)), Is.EqualTo("same_user"));

        var transferred = Ok(await Tasks.TransferAsync(task.Id, "gaj.approver1", "gaj.staff", "请经办人核实"));

        Assert.That(transferred.AssigneeId, Is.EqualTo("gaj.staff"));
        Assert.That(Refusal(await Tasks.ApproveAsync(task.Id, "gaj.approver1", null)), Is.EqualTo("not_task_holder"));
        Assert.That(Refusal(await Tasks.ApproveAsync(task.Id, "gaj.approver2", null)), Is.EqualTo("not_task_holder"));
        Ok(await Tasks.ApproveAsync(task.Id, "gaj.staff", "已核实"));
        var entry = (await JournalAsync(run.InstanceId)).Single(j => j.Outcome == TaskActions.Transfer);
        Assert.That((entry.Actor, entry.Message, entry.Outputs!["to"]!.GetValue<string>()), Is.EqualTo(("gaj.approver1", "请经办人核实", "gaj.staff")));
    }

    [Test]
    public async Task Delegate_hands_the_work_over_and_back_while_the_decision_stays_with_the_delegator()
    {
        var (run, task) = await ProviderApprovalAsync();
        Ok(await Tasks.ClaimAsync(task.Id, "gaj.approver1"));

        var delegated = Ok(await Tasks.DelegateAsync(task.Id, "gaj.approver1", "gaj.staff", "请先核对字段"));
        Assert.That((delegated.AssigneeId, delegated.OwnerId, delegated.DelegationState), Is.EqualTo(("gaj.staff", "gaj.approver1", "Pending")));
        Assert.That(Refusal(await Tasks.ApproveAsync(task.Id, "gaj.staff", null)), Is.EqualTo("task_delegated"));
        Assert.That(Refusal(await Tasks.ApproveAsync(task.Id, "gaj.approver1", null)), Is.EqualTo("task_delegated"));
        Assert.That(Refusal(await Tasks.ResolveAsync(task.Id, "gaj.approver1", null)), Is.EqualTo("not_delegated_to_you"));
        Assert.That(Refusal(await Tasks.ReleaseAsync(task.Id, "gaj.staff")), Is.EqualTo("task_delegated"),
            "the delegate hands the task back to who delegated it; it does not put it back in the pool, where nobody could decide it");

        var resolved = Ok(await Tasks.ResolveAsync(task.Id, "gaj.staff", "字段已核对，无误"));
        Assert.That((resolved.AssigneeId, resolved.DelegationState), Is.EqualTo(("gaj.approver1", "Resolved")));
        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", "同意"));

        var journal = await JournalAsync(run.InstanceId);
        Assert.That(journal.Where(j => j.EventName == JournalEvents.TaskAction).Select(j => (j.Outcome, j.Actor)),
            Is.EqualTo(new[] { (TaskActions.Claim, "gaj.approver1"), (TaskActions.Delegate, "gaj.approver1"), (TaskActions.Resolve, "gaj.staff"), (TaskActions.Approve, "gaj.approver1") }));
    }

    [Test]
    public async Task Bulk_approve_writes_one_audit_entry_per_task_and_reports_each_result()
    {
        var first = await ProviderApprovalAsync();
        var second = await ProviderApprovalAsync();
        var foreign = await ProviderApprovalAsync();
        Ok(await Tasks.ClaimAsync(foreign.Task.Id, "gaj.approver2"));

        var results = await Tasks.BulkApproveAsync([first.Task.Id, second.Task.Id, foreign.Task.Id], "gaj.approver1", "批量同意");

        Assert.That(results.Select(r => (r.TaskId, r.Succeeded, r.Code)), Is.EqualTo(new[]
        {
            (first.Task.Id, true, (string?)null), (second.Task.Id, true, null), (foreign.Task.Id, false, "task_claimed_by_other"),
        }));
        foreach (var (run, _) in new[] { first, second })
        {
            var approvals = (await Inbox.ActionsOfInstanceAsync(run.InstanceId)).Where(a => a.Action == TaskActions.Approve).ToList();
            Assert.That(approvals.Select(a => (a.Actor, a.Comment)), Is.EqualTo(new[] { ("gaj.approver1", (string?)"批量同意") }));
            Assert.That(await InstanceStatusAsync(run.InstanceId), Is.EqualTo(WorkflowStatus.Finished));
        }

        Assert.That(await InstanceStatusAsync(foreign.Run.InstanceId), Is.EqualTo(WorkflowStatus.Suspended));
    }

    [Test]
    public async Task Copy_urge_and_comment_are_recorded_and_notified()
    {
        var (run, task) = await ProviderApprovalAsync();

        Ok(await Tasks.CopyAsync(task.Id, "gaj.approver1", ["admin1"], "请知悉"));
        Ok(await Tasks.CommentAsync(task.Id, "gaj.approver2", "字段较多，明日处理"));
        Assert.That(Refusal(await Tasks.CommentAsync(task.Id, "yx.admin", "路过")), Is.EqualTo("not_task_holder"));
        Assert.That(Ok(await Tasks.UrgeAsync(run.InstanceId, "rsj.applicant", "业务急需")), Is.EqualTo(1));
        Assert.That(Refusal(await Tasks.UrgeAsync(run.InstanceId, "rsj.applicant", "再催")), Is.EqualTo("urged_recently"));
        Assert.That(Refusal(await Tasks.UrgeAsync(run.InstanceId, "gaj.staff", null)), Is.EqualTo("not_applicant"));

        var copies = await Inbox.CopiedToMeAsync("admin1", unreadOnly: true);
        Assert.That(copies.Items.Select(c => (c.InstanceId, c.CopiedBy)), Is.EqualTo(new[] { (run.InstanceId, "gaj.approver1") }));
        Ok(await Tasks.MarkCopyReadAsync(copies.Items[0].Id, "admin1"));
        Assert.That((await Inbox.CopiedToMeAsync("admin1", unreadOnly: true)).Total, Is.Zero);
        Assert.That((await Inbox.GetAsync(task.Id))!.UrgeCount, Is.EqualTo(1));
        var actions = (await Inbox.ActionsOfInstanceAsync(run.InstanceId)).Select(a => a.Action).ToList();
        Assert.That(actions, Is.SupersetOf(new[] { TaskActions.Copy, TaskActions.Comment, TaskActions.Urge }));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.That((await Tasks.UrgeAsync(run.InstanceId, "rsj.applicant", "再催")).IsSuccess, Is.True, "an hour later the applicant may urge again");
    }

    [Test]
    public async Task Attachments_are_stored_with_their_hash_and_checked_for_type_and_size()
    {
        var (run, task) = await ProviderApprovalAsync();
        var scan = System.Text.Encoding.UTF8.GetBytes("%PDF-1.4 盖章扫描件（测试）");

        var stored = Ok(await Services.GetRequiredService<TaskAttachments>().AttachAsync(task.Id, "gaj.approver1", "申请表盖章件.pdf", new MemoryStream(scan)));

        Assert.That(stored.Sha256, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(scan))));
        Assert.That(stored.Size, Is.EqualTo(scan.Length));
        var store = Services.GetRequiredService<AttachmentStore>();
        await using (var read = store.OpenRead(stored.Sha256))
        using (var copy = new MemoryStream())
        {
            await read.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(scan));
        }

        Assert.That((await Inbox.AttachmentsOfInstanceAsync(run.InstanceId)).Select(a => a.FileName), Is.EqualTo(new[] { "申请表盖章件.pdf" }));
        Assert.That(Refusal(await Services.GetRequiredService<TaskAttachments>().AttachAsync(task.Id, "gaj.approver1", "run.exe", new MemoryStream(scan))),
            Is.EqualTo("file_type_not_allowed"));
        Assert.That(Refusal(await Services.GetRequiredService<TaskAttachments>().AttachAsync(task.Id, "gaj.approver1", "big.pdf", new MemoryStream(new byte[65 * 1024]))),
            Is.EqualTo("file_too_large"));
        Assert.That(Refusal(await Services.GetRequiredService<TaskAttachments>().AttachAsync(task.Id, "yx.admin", "x.pdf", new MemoryStream(scan))), Is.EqualTo("not_task_holder"));
        Assert.That((await Inbox.AttachmentsOfInstanceAsync(run.InstanceId)), Has.Count.EqualTo(1), "refusals store no record");
    }

    [Test]
    public async Task A_refused_upload_leaves_no_file_behind_whoever_or_whatever_it_is()
    {
        var (run, task) = await ProviderApprovalAsync();
        var attachments = Services.GetRequiredService<TaskAttachments>();
        var folder = Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AttachmentOptions>>().Value.Path;
        string[] Files() => Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
        var before = Files();

        // Not a holder of the task: refused before the upload is read.
        var unread = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"%PDF-1.4 {Guid.NewGuid()}"));
        Assert.That(Refusal(await attachments.AttachAsync(task.Id, "yx.admin", "x.pdf", unread)), Is.EqualTo("not_task_holder"));
        Assert.That(unread.Position, Is.Zero, "the body is not read for a caller who may not attach");
        // A holder, but the bytes are a web page named .pdf.
        Assert.That(Refusal(await attachments.AttachAsync(task.Id, "gaj.approver1", "x.pdf",
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")))), Is.EqualTo("file_content_mismatch"));
        // A form field that takes scans only.
        Assert.That(Refusal(await attachments.AttachAsync(task.Id, "gaj.approver1", "x.docx",
            new MemoryStream(Packages.Zip("[Content_Types].xml", "word/document.xml")), ["pdf", "jpg"])), Is.EqualTo("file_type_not_allowed"));
        Assert.That(Refusal(await attachments.AttachAsync(task.Id, "gaj.approver1", "empty.pdf", new MemoryStream())), Is.EqualTo("file_empty"));

        Assert.That(Files(), Is.EquivalentTo(before));
        Assert.That(await Inbox.AttachmentsOfInstanceAsync(run.InstanceId), Is.Empty);

        var docx = Ok(await attachments.AttachAsync(task.Id, "gaj.approver1", "材料.docx", new MemoryStream(Packages.Zip("[Content_Types].xml", "word/document.xml"))));
        Assert.That(docx.ContentType, Is.EqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), "the type comes from the checked bytes' extension");
    }
}
