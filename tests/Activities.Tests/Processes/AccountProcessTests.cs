using System.Text.Json.Nodes;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>P1/P2: platform, front-end database and FTP accounts — 2 working days, through the parent or county when needed.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AccountProcessTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private static JsonObject Form(string unitKind, bool consent = false)
    {
        var form = FormExamples.PlatformAccount();
        form["unitKind"] = unitKind;
        if (consent)
        {
            form["consentingUnit"] = "市公安局";
            form["consentDocument"] = FormExamples.File("主管部门同意函.pdf");
        }

        return form;
    }

    [Test]
    public async Task Municipal_application_is_issued_by_the_bureau_within_two_working_days()
    {
        // Submitted Mon 2026-03-02 10:00: due Wed 03-04 23:59:59; the case clock (2 WD) is stopped at the end.
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("account-platform", "rsj.applicant", Form("municipal"));

        var issue = await StepAsync(instance, "issue");
        Assert.That(await CandidatesAsync(issue), Is.EqualTo(new[] { "admin1", "admin2" }));
        Assert.That(issue.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 4, 23, 59, 59, Beijing)));
        Ok(await Tasks.ApproveAsync(issue.Id, "admin2", "已开通"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"issued")));
        var call = ExchangeDoubles.Of(instance).Single();
        Assert.That(call.Type, Is.EqualTo(IssuePlatformAccount.Type));
        Assert.That(call.Inputs["application"]!["department"]!.GetValue<string>(), Is.EqualTo("平顶山市民政局"));
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
        Assert.That((await Inbox.CaseClockAsync(instance))!.Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Stopped));
        Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
    }

    [Test]
    public async Task A_secondary_unit_without_consent_goes_through_its_parent_department_first()
    {
        var instance = await ApplyAsync("account-platform", "sub.staff", Form("secondary"));

        var consent = await StepAsync(instance, "parentConsent");
        Assert.That((consent.AssigneeId, consent.OrgUnitId), Is.EqualTo(("gaj.admin", TestOrganization.PublicSecurity)));
        Ok(await Tasks.ApproveAsync(consent.Id, "gaj.admin", "同意"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "issue")).Id, "admin1", null));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("issued"));
    }

    [Test]
    public async Task Recorded_consent_skips_the_parent_and_county_review()
    {
        var secondary = await ApplyAsync("account-platform", "sub.staff", Form("secondary", consent: true));
        var county = await ApplyAsync("account-platform", "yx.applicant", Form("county", consent: true));

        Assert.That((await OpenAsync(secondary)).Select(t => t.ActivityId), Is.EqualTo(new[] { "issue" }));
        Assert.That((await OpenAsync(county)).Select(t => t.ActivityId), Is.EqualTo(new[] { "issue" }));
    }

    [Test]
    public async Task A_county_department_without_consent_is_reviewed_by_its_county_authority_who_may_refuse()
    {
        var instance = await ApplyAsync("account-platform", "yx.applicant", Form("county"));
        var review = await StepAsync(instance, "countyReview");
        Assert.That((review.AssigneeId, review.OrgUnitId), Is.EqualTo(("yx.admin", TestOrganization.YeCounty)));

        Assert.That((await Tasks.RejectAsync(review.Id, "yx.admin", null)).Error?.Code, Is.EqualTo("reason_required"));
        Ok(await Tasks.RejectAsync(review.Id, "yx.admin", "申请人非在编人员"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"rejected")));
        Assert.That(ExchangeDoubles.Of(instance), Is.Empty, "nothing is issued");
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_bureau_returns_an_incomplete_application_for_correction_and_issues_it_after_resubmission()
    {
        var instance = await ApplyAsync("account-platform", "rsj.applicant", Form("municipal"));
        var issue = await StepAsync(instance, "issue");

        var preview = Ok(await Tasks.ReturnAsync(issue.Id, "admin1", "submit", "盖章扫描件不清晰，请重新上传"));
        Assert.That(preview.IsCorrection, Is.True);
        var correction = await StepAsync(instance, "submit");
        var form = Form("municipal");
        form["stampedScan"] = FormExamples.File("重新扫描的申请单.pdf");
        Ok(await Tasks.ApproveAsync(correction.Id, "rsj.applicant", "已重新上传", await AsSentAsync(correction.Id, "rsj.applicant", form)));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "issue")).Id, "admin1", null));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("issued"));
        Assert.That((await Queries.GetInstanceAsync(instance))!.Variables["form"]!["stampedScan"]!["name"]!.GetValue<string>(),
            Is.EqualTo("重新扫描的申请单.pdf"));
    }

    [Test]
    public async Task An_overdue_issue_step_is_journaled_and_the_data_resources_section_is_told()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("account-platform", "rsj.applicant", Form("municipal"));

        Clock.Set(new DateTimeOffset(2026, 3, 5, 0, 0, 1, Beijing));
        await Runtime.TriggerDueBookmarksAsync();

        Assert.That((await StepAsync(instance, "issue")).Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Red));
        Assert.That((await JournalAsync(instance)).Any(j => j.Message?.StartsWith("已超期", StringComparison.Ordinal) == true), Is.True);
        Assert.That(await OutboxAsync(instance, "notify.task-overdue"), Is.EqualTo(1), "section1 of the data-resources section");
    }

    [Test]
    public async Task Front_end_database_and_ftp_accounts_use_their_own_form_and_exchange_step()
    {
        var form = FormExamples.DatabaseFtpAccount();
        var instance = await ApplyAsync("account-frontend", "yx.applicant", form);
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "issue")).Id, "admin1", null));

        var call = ExchangeDoubles.Of(instance).Single();
        Assert.That((call.Type, call.Inputs["application"]!["accountType"]!.GetValue<string>()), Is.EqualTo((IssueFrontEndAccount.Type, "ftp")));
    }

    [Test]
    public async Task The_applicant_may_abandon_an_application_not_yet_submitted()
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest("account-platform") { Initiator = "rsj.applicant" });
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        Ok(await Tasks.RejectAsync(submit.Id, "rsj.applicant", "不再需要"));
        Assert.That((await OutcomeAsync(run.Value.InstanceId)).Result, Is.EqualTo("rejected"));
    }

    [TestCase("secondary", "sub.staff", "parentConsent", "gaj.admin")]
    [TestCase("county", "yx.applicant", "countyReview", "yx.admin")]
    [TestCase("municipal", "rsj.applicant", "issue", "admin1")]
    public async Task A_front_end_account_request_refused_at_any_review_issues_nothing_and_tells_the_applicant_why(
        string unitKind, string applicant, string step, string reviewer)
    {
        var form = FormExamples.DatabaseFtpAccount();
        form["unitKind"] = unitKind;
        form.Remove("consentingUnit");
        form.Remove("consentDocument");
        var instance = await ApplyAsync("account-frontend", applicant, form);

        var review = await StepAsync(instance, step);
        Assert.That(await CandidatesAsync(review), Does.Contain(reviewer));
        Assert.That((await Tasks.RejectAsync(review.Id, reviewer, " ")).Error?.Code, Is.EqualTo("reason_required"));
        Ok(await Tasks.RejectAsync(review.Id, reviewer, "申请人非本单位在编人员"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"rejected")));
        Assert.That(ExchangeDoubles.Of(instance), Is.Empty, "no account is created or reset");
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
        Assert.That((await JournalAsync(instance)).Any(j => j.Message?.Contains("申请人非本单位在编人员", StringComparison.Ordinal) == true), Is.True,
            "the reason reaches the applicant's notice and the record");
    }
}
