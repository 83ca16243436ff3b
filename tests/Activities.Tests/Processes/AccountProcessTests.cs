using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// P1/P2: platform, front-end database and FTP accounts — 2 working days. Whose account it is, which review it needs
/// and whom the credentials may go to come from the organisation tables, never from what the form declares.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AccountProcessTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    /// <summary>The people whose phone and e-mail the organisation tables hold here (the test organisation has none).</summary>
    private static readonly string[] OnRecord = ["rsj.applicant", "rsj.admin", "sub.staff", "gaj.staff", "gaj.admin", "yx.applicant", "yx.wjw.admin", "yx.admin"];

    private static string PhoneOf(string user) => $"1393751{Array.IndexOf(OnRecord, user):0000}";

    private static string EmailOf(string user) => $"{user}@example.gov.cn";

    [OneTimeSetUp]
    public async Task RecordContactsAsync()
    {
        await using var db = await Db();
        foreach (var user in await db.Users.Where(u => OnRecord.Contains(u.Id)).ToListAsync())
        {
            user.Phone = PhoneOf(user.Id);
            user.Email = EmailOf(user.Id);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>A new account of <paramref name="unit"/> whose contact is <paramref name="contact"/> as the records hold it.</summary>
    private static JsonObject Form(string unit, string contact, string definition = "account-platform")
    {
        var form = NewAccountForm(definition, unit);
        form["phone"] = PhoneOf(contact);
        form["email"] = EmailOf(contact);
        return form;
    }

    private static JsonObject Reset(string account, string contact, string definition = "account-platform")
    {
        var form = Form("unused", contact, definition);
        form["requestType"] = "reset";
        form.Remove("accountUnitId");
        form["existingAccount"] = account;
        return form;
    }

    [Test]
    public async Task Municipal_application_is_issued_by_the_bureau_within_two_working_days()
    {
        // Submitted Mon 2026-03-02 10:00: due Wed 03-04 23:59:59; the case clock (2 WD) is stopped at the end.
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("account-platform", "rsj.applicant", Form(TestOrganization.HumanResources, "rsj.applicant"));

        var issue = await StepAsync(instance, "issue");
        Assert.That(await CandidatesAsync(issue), Is.EqualTo(new[] { "admin1", "admin2" }));
        Assert.That(issue.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 4, 23, 59, 59, Beijing)));
        Ok(await Tasks.ApproveAsync(issue.Id, "admin2", "已开通"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"issued")));
        var call = ExchangeDoubles.Of(instance).Single();
        Assert.That(call.Type, Is.EqualTo(IssuePlatformAccount.Type));
        Assert.That(call.Inputs["account"]!["orgUnitId"]!.GetValue<string>(), Is.EqualTo(TestOrganization.HumanResources));
        var form = (await Queries.GetInstanceAsync(instance))!.Variables["form"]!;
        Assert.That((form["accountUnitName"]!.GetValue<string>(), form["accountUnitKind"]!.GetValue<string>()), Is.EqualTo(("市人力资源和社会保障局", "municipal")));
        Assert.That(form["contactDiffers"], Is.Null, "the form's contact is the one on record");
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
        Assert.That((await Inbox.CaseClockAsync(instance))!.Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Stopped));
        Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
    }

    [Test]
    public async Task A_secondary_unit_applying_for_itself_goes_through_its_parent_department_whatever_it_declares_or_attaches()
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest("account-platform") { Initiator = "sub.staff" });
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        var declared = Form(TestOrganization.PublicSecuritySub, "sub.staff");
        declared["unitKind"] = "municipal";
        declared["accountUnitKind"] = "municipal";

        var refused = await Tasks.ApproveAsync(submit.Id, "sub.staff", null, declared);
        Assert.That(refused.Error!.Errors.Select(e => (e.Input, e.Code)), Is.EquivalentTo(new[] { ("unitKind", (string?)"unknownField"), ("accountUnitKind", "platformField") }));
        Assert.That((await Queries.GetInstanceAsync(run.Value.InstanceId))!.Variables["form"], Is.Null, "a refusal writes nothing");

        var withConsentLetter = Form(TestOrganization.PublicSecuritySub, "sub.staff");
        withConsentLetter["consentDocument"] = FormExamples.File("主管部门同意函.pdf");
        Ok(await Tasks.ApproveAsync(submit.Id, "sub.staff", "提交申请", await AsSentAsync(submit.Id, "sub.staff", withConsentLetter)));

        var consent = await StepAsync(run.Value.InstanceId, "parentConsent");
        Assert.That((consent.AssigneeId, consent.OrgUnitId), Is.EqualTo(("gaj.admin", TestOrganization.PublicSecurity)));
        Assert.That((await Queries.GetInstanceAsync(run.Value.InstanceId))!.Variables["accountRoute"]!.GetValue<string>(), Is.EqualTo("parent"));
        Ok(await Tasks.ApproveAsync(consent.Id, "gaj.admin", "同意"));
        Ok(await Tasks.ApproveAsync((await StepAsync(run.Value.InstanceId, "issue")).Id, "admin1", null));

        Assert.That((await OutcomeAsync(run.Value.InstanceId)).Result, Is.EqualTo("issued"));
        Assert.That(ExchangeDoubles.Of(run.Value.InstanceId).Single().Inputs["account"]!["orgUnitId"]!.GetValue<string>(),
            Is.EqualTo(TestOrganization.PublicSecuritySub));
    }

    [Test]
    public async Task A_parent_department_applying_for_its_secondary_unit_is_its_consent_and_goes_to_the_bureau()
    {
        var instance = await ApplyAsync("account-platform", "gaj.staff", Form(TestOrganization.PublicSecuritySub, "sub.staff"));

        Assert.That((await OpenAsync(instance)).Select(t => t.ActivityId), Is.EqualTo(new[] { "issue" }));
        var form = (await Queries.GetInstanceAsync(instance))!.Variables["form"]!;
        Assert.That(form["reviewRoute"]!.GetValue<string>(), Does.Contain("市公安局统一申请"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "issue")).Id, "admin1", null));
        var account = ExchangeDoubles.Of(instance).Single().Inputs["account"]!;
        Assert.That((account["orgUnitId"]!.GetValue<string>(), account["requestType"]!.GetValue<string>()), Is.EqualTo((TestOrganization.PublicSecuritySub, "new")));
    }

    [Test]
    public async Task A_county_department_applying_for_itself_is_reviewed_by_its_county_authority_who_may_refuse()
    {
        var instance = await ApplyAsync("account-platform", "yx.applicant", Form(TestOrganization.YeCountyHealth, "yx.applicant"));
        var review = await StepAsync(instance, "countyReview");
        Assert.That((review.AssigneeId, review.OrgUnitId), Is.EqualTo(("yx.admin", TestOrganization.YeCounty)));

        Assert.That((await Tasks.RejectAsync(review.Id, "yx.admin", null)).Error?.Code, Is.EqualTo("reason_required"));
        Ok(await Tasks.RejectAsync(review.Id, "yx.admin", "申请人非在编人员"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"rejected")));
        Assert.That(ExchangeDoubles.Of(instance), Is.Empty, "nothing is issued");
        Assert.That(await OutboxAsync(instance, "notify.case"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_county_authority_applying_for_a_department_of_its_county_goes_to_the_bureau()
    {
        var instance = await ApplyAsync("account-platform", "yx.admin", Form(TestOrganization.YeCountyHealth, "yx.applicant"));

        Assert.That((await OpenAsync(instance)).Select(t => t.ActivityId), Is.EqualTo(new[] { "issue" }));
        Assert.That((await Queries.GetInstanceAsync(instance))!.Variables["accountUnit"]!["unitKind"]!.GetValue<string>(), Is.EqualTo("county"));
    }

    private static IEnumerable<TestCaseData> ForbiddenAccounts()
    {
        // 市人社局 may not ask for another department's account, a county department's, or the bureau's.
        yield return new TestCaseData("rsj.applicant", Form(TestOrganization.PublicSecurity, "rsj.applicant"), "accountUnitId", "notYourUnit")
            .SetName("A new account for another department is refused");
        yield return new TestCaseData("rsj.applicant", Form(TestOrganization.YeCountyHealth, "rsj.applicant"), "accountUnitId", "notYourUnit")
            .SetName("A new account for a county department is refused to a municipal department");
        yield return new TestCaseData("rsj.applicant", Form(TestOrganization.Bureau, "rsj.applicant"), "accountUnitId", "bureauAccount")
            .SetName("A new account in the bureau is refused");
        yield return new TestCaseData("rsj.applicant", Reset("gaj.staff", "rsj.applicant"), "existingAccount", "notYourUnit")
            .SetName("A reset of another department's account is refused");
        yield return new TestCaseData("rsj.applicant", Reset("admin1", "rsj.applicant"), "existingAccount", "bureauAccount")
            .SetName("A reset of a bureau account is refused");
        yield return new TestCaseData("sub.staff", Form(TestOrganization.PublicSecurity, "sub.staff"), "accountUnitId", "notYourUnit")
            .SetName("A secondary unit may not ask for its parent's account");
        yield return new TestCaseData("rsj.applicant", Reset("ftp_gaj_01", "rsj.applicant", "account-frontend"), "existingAccount", "notYourUnit")
            .SetName("A reset of another department's FTP account is refused");
        yield return new TestCaseData("rsj.applicant", Reset("rsj_ftp", "rsj.applicant", "account-frontend"), "existingAccount", "accountNameFormat")
            .SetName("A front-end account name that names no unit is refused");
        yield return new TestCaseData("rsj.applicant", Form("nonexistent-unit", "rsj.applicant"), "accountUnitId", "unknownUnit")
            .SetName("A unit that does not exist is refused");
    }

    [TestCaseSource(nameof(ForbiddenAccounts))]
    public async Task Accounts_the_applicant_does_not_answer_for_are_refused_on_submission_and_nothing_is_written(string applicant, JsonObject form,
        string field, string code)
    {
        var definition = form.ContainsKey("accountType") ? "account-frontend" : "account-platform";
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definition) { Initiator = applicant });
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        var uploaded = await AsSentAsync(submit.Id, applicant, form);
        var journal = (await JournalAsync(run.Value.InstanceId)).Count;

        var refused = await Tasks.ApproveAsync(submit.Id, applicant, "提交申请", uploaded);

        Assert.That(refused.Error?.Code, Is.EqualTo("form_invalid"));
        Assert.That(refused.Error!.Errors.Select(e => (e.Input, e.Code)), Is.EqualTo(new[] { (field, (string?)code) }));
        if (field == "existingAccount")
            Assert.That(refused.Error.Errors.Single().Message, Does.Not.Contain("市公安局"), "whose account it is, is not told");
        var instance = (await Queries.GetInstanceAsync(run.Value.InstanceId))!;
        Assert.That((instance.Variables["form"], instance.Variables["account"], instance.Variables["accountRoute"]), Is.EqualTo((default(JsonNode), default(JsonNode), default(JsonNode))));
        Assert.That((await OpenAsync(run.Value.InstanceId)).Single().Id, Is.EqualTo(submit.Id), "the application stays with the applicant");
        Assert.That((await JournalAsync(run.Value.InstanceId)).Count, Is.EqualTo(journal), "a refusal journals nothing");
        Assert.That(ExchangeDoubles.Of(run.Value.InstanceId), Is.Empty);
    }

    [Test]
    public async Task A_contact_that_is_not_on_record_is_shown_beside_the_record_and_must_be_confirmed_before_the_bureau_issues()
    {
        var form = Form(TestOrganization.HumanResources, "rsj.applicant");
        form["phone"] = "13800000001";
        form["email"] = "someone.else@example.com";
        var run = await Runtime.StartAsync(new StartWorkflowRequest("account-platform") { Initiator = "rsj.applicant" });
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        var selfConfirmed = form.DeepClone().AsObject();
        selfConfirmed["contactCheck"] = AccountContacts.Confirmed;
        Assert.That((await Tasks.ApproveAsync(submit.Id, "rsj.applicant", null, selfConfirmed)).Error!.Errors.Select(e => (e.Input, e.Code)),
            Is.EqualTo(new[] { ("contactCheck", (string?)"hidden") }), "the applicant cannot confirm its own contact");
        Ok(await Tasks.ApproveAsync(submit.Id, "rsj.applicant", "提交申请", await AsSentAsync(submit.Id, "rsj.applicant", form)));

        var recorded = (await Queries.GetInstanceAsync(run.Value.InstanceId))!.Variables["form"]!;
        Assert.That(recorded["contactDiffers"]!.GetValue<bool>(), Is.True);
        Assert.That(recorded["recordContact"]!.GetValue<string>(), Does.Contain(PhoneOf("rsj.applicant")).And.Contain(EmailOf("rsj.admin")));
        var issue = await StepAsync(run.Value.InstanceId, "issue");
        var unconfirmed = await Tasks.ApproveAsync(issue.Id, "admin1", "办理");
        Assert.That(unconfirmed.Error!.Errors.Select(e => (e.Input, e.Code)), Is.EqualTo(new[] { ("contactCheck", (string?)"requiredWhen") }));
        Assert.That(ExchangeDoubles.Of(run.Value.InstanceId), Is.Empty, "nothing is issued to an unconfirmed contact");

        Ok(await Tasks.ApproveAsync(issue.Id, "admin1", "已电话核实", new JsonObject { ["contactCheck"] = AccountContacts.Confirmed }));

        var call = ExchangeDoubles.Of(run.Value.InstanceId).Single();
        Assert.That((call.Inputs["application"]!["email"]!.GetValue<string>(), call.Inputs["application"]!["contactCheck"]!.GetValue<string>()),
            Is.EqualTo(("someone.else@example.com", AccountContacts.Confirmed)));
    }

    [Test]
    public async Task The_bureau_returns_an_incomplete_application_for_correction_and_issues_it_after_resubmission()
    {
        var instance = await ApplyAsync("account-platform", "rsj.applicant", Form(TestOrganization.HumanResources, "rsj.applicant"));
        var issue = await StepAsync(instance, "issue");

        var preview = Ok(await Tasks.ReturnAsync(issue.Id, "admin1", "submit", "盖章扫描件不清晰，请重新上传"));
        Assert.That(preview.IsCorrection, Is.True);
        var correction = await StepAsync(instance, "submit");
        var form = Form(TestOrganization.HumanResources, "rsj.applicant");
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
        var instance = await ApplyAsync("account-platform", "rsj.applicant", Form(TestOrganization.HumanResources, "rsj.applicant"));

        Clock.Set(new DateTimeOffset(2026, 3, 5, 0, 0, 1, Beijing));
        await Runtime.TriggerDueBookmarksAsync();

        Assert.That((await StepAsync(instance, "issue")).Level, Is.EqualTo(Workflows.Deadlines.WarningLevel.Red));
        Assert.That((await JournalAsync(instance)).Any(j => j.Message?.StartsWith("已超期", StringComparison.Ordinal) == true), Is.True);
        Assert.That(await OutboxAsync(instance, "notify.task-overdue"), Is.EqualTo(1), "section1 of the data-resources section");
    }

    [Test]
    public async Task A_front_end_account_reset_names_the_account_whose_code_gives_its_unit()
    {
        var instance = await ApplyAsync("account-frontend", "yx.applicant", Reset("ftp_yx_wjw_01", "yx.applicant", "account-frontend"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "countyReview")).Id, "yx.admin", null));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "issue")).Id, "admin1", null));

        var call = ExchangeDoubles.Of(instance).Single();
        Assert.That((call.Type, call.Inputs["application"]!["accountType"]!.GetValue<string>()), Is.EqualTo((IssueFrontEndAccount.Type, "ftp")));
        Assert.That((call.Inputs["account"]!["orgUnitId"]!.GetValue<string>(), call.Inputs["account"]!["existingAccount"]!.GetValue<string>()),
            Is.EqualTo((TestOrganization.YeCountyHealth, "ftp_yx_wjw_01")));
    }

    [Test]
    public async Task The_applicant_may_abandon_an_application_not_yet_submitted()
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest("account-platform") { Initiator = "rsj.applicant" });
        var submit = (await OpenAsync(run.Value.InstanceId)).Single();
        Ok(await Tasks.RejectAsync(submit.Id, "rsj.applicant", "不再需要"));
        Assert.That((await OutcomeAsync(run.Value.InstanceId)).Result, Is.EqualTo("rejected"));
    }

    [TestCase(TestOrganization.PublicSecuritySub, "sub.staff", "parentConsent", "gaj.admin")]
    [TestCase(TestOrganization.YeCountyHealth, "yx.applicant", "countyReview", "yx.admin")]
    [TestCase(TestOrganization.HumanResources, "rsj.applicant", "issue", "admin1")]
    public async Task A_front_end_account_request_refused_at_any_review_issues_nothing_and_tells_the_applicant_why(
        string unit, string applicant, string step, string reviewer)
    {
        var instance = await ApplyAsync("account-frontend", applicant, Form(unit, applicant, "account-frontend"));

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

    private async Task<WorkflowDbContext> Db() => await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
}
