using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>退回 (including across parallel branches), 补正 with the legal clock, and the applicant's 撤回.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ReturnTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>apply (the applicant) → intake → fork: legal → legal2, and tech → join → end.</summary>
    private async Task<Guid> ParallelReviewAsync()
    {
        var id = UniqueId("parallel");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("apply", Initiator())
            .UserTask("intake", Users("admin1"))
            .Add("fork", "Fork", ("branches", DefinitionBuilder.Literal(new JsonArray("legal", "tech"))))
            .UserTask("legal", Users("gaj.approver1"))
            .UserTask("legal2", Users("gaj.approver2"))
            .UserTask("tech", Users("rsj.approver"))
            .Add("join", "Join")
            .Add("end", "End")
            .Chain("start", "apply").Connect("apply:Approve", "intake").Connect("intake:Approve", "fork")
            .Connect("fork:legal", "legal").Connect("legal:Approve", "legal2").Connect("legal2:Approve", "join")
            .Connect("fork:tech", "tech").Connect("tech:Approve", "join").Connect("join", "end")
            .Build());
        var instance = (await StartAsAsync(id, "rsj.applicant")).InstanceId;
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "apply")).Id, "rsj.applicant", "提交申请"));
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "intake")).Id, "admin1", null));
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "legal")).Id, "gaj.approver1", null));
        return instance;
    }

    [Test]
    public async Task Return_targets_are_the_earlier_human_steps_nearest_first()
    {
        var instance = await ParallelReviewAsync();
        var legal2 = await OpenTaskAsync(instance, "legal2");

        var targets = Ok(await Tasks.ReturnTargetsAsync(legal2.Id, "gaj.approver2"));

        Assert.That(targets.Select(t => (t.ActivityId, t.IsApplicantStep)), Is.EqualTo(new[] { ("legal", false), ("intake", false), ("apply", true) }));
        Assert.That(Refusal(await Tasks.ReturnAsync(legal2.Id, "gaj.approver2", "tech", "不是前序环节")), Is.EqualTo("invalid_return_target"));
        Assert.That(Refusal(await Tasks.ReturnAsync(legal2.Id, "gaj.approver2", "legal", " ")), Is.EqualTo("reason_required"));
    }

    [Test]
    public async Task Return_within_one_branch_cancels_that_branch_only()
    {
        var instance = await ParallelReviewAsync();
        var legal2 = await OpenTaskAsync(instance, "legal2");
        var tech = await OpenTaskAsync(instance, "tech");

        var preview = Ok(await Tasks.PreviewReturnAsync(legal2.Id, "gaj.approver2", "legal"));
        Assert.That(preview.CancelledTasks.Select(t => t.Id), Is.EqualTo(new[] { legal2.Id }));
        Assert.That((await Inbox.GetAsync(legal2.Id))!.Status, Is.EqualTo(TaskStatuses.Open), "a preview changes nothing");

        var returned = Ok(await Tasks.ReturnAsync(legal2.Id, "gaj.approver2", "legal", "法律依据需补充说明"));

        Assert.That(returned.CancelledTasks.Select(t => t.Id), Is.EqualTo(new[] { legal2.Id }));
        var open = await OpenTasksAsync(instance);
        Assert.That(open.Select(t => t.ActivityId), Is.EquivalentTo(new[] { "legal", "tech" }));
        Assert.That(open.Single(t => t.ActivityId == "tech").Id, Is.EqualTo(tech.Id), "the other branch's task is untouched");
        var returnedTask = (await Inbox.GetAsync(legal2.Id))!;
        Assert.That((returnedTask.Status, returnedTask.Outcome, returnedTask.Comment), Is.EqualTo((TaskStatuses.Completed, "Return", "法律依据需补充说明")));
        var redo = (await Inbox.ActionsOfInstanceAsync(instance)).Last(a => a.Action == TaskActions.Created);
        Assert.That(redo.Comment, Is.EqualTo("退回重办：法律依据需补充说明"));

        Ok(await Tasks.ApproveAsync(tech.Id, "rsj.approver", null));
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "legal")).Id, "gaj.approver1", "已补充"));
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended), "the join still waits for legal2");
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "legal2")).Id, "gaj.approver2", null));
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Finished));
    }

    [Test]
    public async Task Return_before_the_fork_cancels_every_branch()
    {
        var instance = await ParallelReviewAsync();
        var legal2 = await OpenTaskAsync(instance, "legal2");
        var tech = await OpenTaskAsync(instance, "tech");

        var returned = Ok(await Tasks.ReturnAsync(legal2.Id, "gaj.approver2", "intake", "受理材料不全"));

        Assert.That(returned.CancelledTasks.Select(t => t.Id), Is.EquivalentTo(new[] { legal2.Id, tech.Id }));
        Assert.That((await OpenTasksAsync(instance)).Select(t => t.ActivityId), Is.EqualTo(new[] { "intake" }));
        Assert.That((await Inbox.GetAsync(tech.Id))!.Status, Is.EqualTo(TaskStatuses.Cancelled));
        Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
    }

    private async Task<Guid> CorrectionCaseAsync(string rule)
    {
        var id = UniqueId("correction");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("apply", Initiator())
            .UserTask("review", Users("gaj.approver1"), sla: new JsonObject { ["workingDays"] = 5, ["correctionRule"] = rule })
            .Add("end", "End")
            .Chain("start", "apply").Connect("apply:Approve", "review").Connect("review:Approve", "end").Build());
        Clock.Set(new DateTimeOffset(2026, 3, 2, 9, 0, 0, Beijing));
        var instance = (await StartAsAsync(id, "rsj.applicant")).InstanceId;
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "apply")).Id, "rsj.applicant", "提交"));
        return instance;
    }

    [TestCase("Restart", 13)]
    [TestCase("Pause", 11)]
    public async Task Return_to_the_applicant_is_a_correction_and_the_stage_clock_follows_its_rule(string rule, int deadlineDay)
    {
        // Received Mon 2026-03-02: 5 working days end Mon 03-09. Returned Wed 03-04 after 2 working days (Tue, Wed).
        // Resubmitted Fri 03-06. Restart: 5 from Fri → Fri 03-13. Pause: 3 left from Fri → Wed 03-11.
        var instance = await CorrectionCaseAsync(rule);
        var review = await OpenTaskAsync(instance, "review");
        Assert.That(review.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 9, 23, 59, 59, Beijing)));

        Clock.Set(new DateTimeOffset(2026, 3, 4, 9, 0, 0, Beijing));
        var preview = Ok(await Tasks.ReturnAsync(review.Id, "gaj.approver1", "apply", "请补充加盖公章的申请表"));
        Assert.That(preview.IsCorrection, Is.True);
        var correction = await OpenTaskAsync(instance, "apply");
        Assert.That(correction.AssigneeId, Is.EqualTo("rsj.applicant"));

        Clock.Set(new DateTimeOffset(2026, 3, 6, 9, 0, 0, Beijing));
        Ok(await Tasks.ApproveAsync(correction.Id, "rsj.applicant", "已补充"));

        var again = await OpenTaskAsync(instance, "review");
        Assert.That(again.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, deadlineDay, 23, 59, 59, Beijing)));
        var journal = await JournalAsync(instance);
        Assert.That(journal.Any(j => j.Message?.Contains("退回申请人补正") == true), Is.True);
    }

    private async Task<Guid> ApplyThenReviewAsync(bool withApplicantStep)
    {
        var id = UniqueId("withdraw");
        var builder = new DefinitionBuilder(id).Add("start", "Start").UserTask("review", Users("gaj.approver1")).Add("end", "End");
        builder = withApplicantStep
            ? builder.UserTask("apply", Initiator()).Chain("start", "apply").Connect("apply:Approve", "review")
            : builder.Chain("start", "review");
        await PublishAsync(builder.Connect("review:Approve", "end").Build());
        var instance = (await StartAsAsync(id, "rsj.applicant")).InstanceId;
        if (withApplicantStep) Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "apply")).Id, "rsj.applicant", "提交"));
        return instance;
    }

    [Test]
    public async Task Applicant_withdraws_while_the_next_step_has_not_acted_and_gets_the_form_back()
    {
        var instance = await ApplyThenReviewAsync(withApplicantStep: true);
        var review = await OpenTaskAsync(instance, "review");
        Assert.That(Refusal(await Tasks.WithdrawAsync(instance, "gaj.staff", null)), Is.EqualTo("not_applicant"));

        var withdrawn = Ok(await Tasks.WithdrawAsync(instance, "rsj.applicant", "填错了资源名称"));

        Assert.That(withdrawn.Status, Is.EqualTo(WorkflowStatus.Suspended));
        Assert.That((await Inbox.GetAsync(review.Id))!.Status, Is.EqualTo(TaskStatuses.Cancelled));
        Assert.That((await OpenTaskAsync(instance, "apply")).AssigneeId, Is.EqualTo("rsj.applicant"));
        Assert.That((await Inbox.ActionsOfInstanceAsync(instance)).Count(a => a.Action == TaskActions.Withdraw && a.Actor == "rsj.applicant"), Is.EqualTo(1));
    }

    [Test]
    public async Task Withdraw_is_refused_once_the_next_step_acted()
    {
        var instance = await ApplyThenReviewAsync(withApplicantStep: true);
        Ok(await Tasks.CommentAsync((await OpenTaskAsync(instance, "review")).Id, "gaj.approver1", "正在审核"));

        var refused = await Tasks.WithdrawAsync(instance, "rsj.applicant", null);

        Assert.That(refused.Error?.Code, Is.EqualTo("next_step_acted"));
        Assert.That(refused.Error!.Detail, Does.Contain("gaj.approver1"));
        Assert.That((await OpenTasksAsync(instance)).Select(t => t.ActivityId), Is.EqualTo(new[] { "review" }));
    }

    [Test]
    public async Task Withdraw_without_an_applicant_step_cancels_the_application()
    {
        var instance = await ApplyThenReviewAsync(withApplicantStep: false);
        var withdrawn = Ok(await Tasks.WithdrawAsync(instance, "rsj.applicant", "不再需要"));
        Assert.That(withdrawn.Status, Is.EqualTo(WorkflowStatus.Cancelled));
        Assert.That(await OpenTasksAsync(instance), Is.Empty);
    }

    [Test]
    public async Task The_case_clock_stops_while_the_case_is_with_the_applicant()
    {
        // Case limit 10 working days, Pause. Received Mon 03-02; returned Wed 03-04 after 2 days (Tue, Wed); resubmitted
        // Fri 03-06 (not counted); finished Mon 03-09: 3 days used. Deadline: 8 left from Fri 03-06 → Wed 03-18.
        var id = UniqueId("caseclock");
        var definition = new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("apply", Initiator())
            .UserTask("review", Users("gaj.approver1"))
            .Add("end", "End")
            .Chain("start", "apply").Connect("apply:Approve", "review").Connect("review:Approve", "end").Build();
        definition.CaseSla = new JsonObject { ["workingDays"] = 10, ["correctionRule"] = "Pause" };
        await PublishAsync(definition);
        Clock.Set(new DateTimeOffset(2026, 3, 2, 9, 0, 0, Beijing));
        var instance = (await StartAsAsync(id, "rsj.applicant")).InstanceId;
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "apply")).Id, "rsj.applicant", "提交"));

        Clock.Set(new DateTimeOffset(2026, 3, 4, 9, 0, 0, Beijing));
        Ok(await Tasks.ReturnAsync((await OpenTaskAsync(instance, "review")).Id, "gaj.approver1", "apply", "缺少盖章件"));
        Assert.That((await Inbox.CaseClockAsync(instance))!.Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Paused));

        Clock.Set(new DateTimeOffset(2026, 3, 6, 9, 0, 0, Beijing));
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "apply")).Id, "rsj.applicant", "已补充"));
        Clock.Set(new DateTimeOffset(2026, 3, 9, 9, 0, 0, Beijing));
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "review")).Id, "gaj.approver1", null));

        var status = (await Inbox.CaseClockAsync(instance))!;
        Assert.That((status.Level, status.UsedWorkingDays, status.Deadline),
            Is.EqualTo((Workflows.Deadlines.WarningLevel.Stopped, 3, new DateTimeOffset(2026, 3, 18, 23, 59, 59, Beijing))));
        var notes = (await JournalAsync(instance)).Where(j => j.Message?.StartsWith("全案时限", StringComparison.Ordinal) == true).ToList();
        Assert.That(notes, Has.Count.EqualTo(4), "started, returned, resubmitted, stopped");
    }
}
