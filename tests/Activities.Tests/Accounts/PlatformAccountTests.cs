using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Accounts;

/// <summary>Form 1: the platform account is created or reset in the burst, and its password reaches the contact in two halves.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class PlatformAccountTests(DatabaseProvider provider) : AccountsTestBase(provider)
{
    [Test]
    public async Task New_account_is_created_in_the_department_and_signs_in_with_the_delivered_password()
    {
        var run = await IssueAsync(IssuePlatformAccount.Type, PlatformForm());
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished));
        await DispatchAsync();
        Assert.That((await OutboxOfAsync(run.InstanceId)).Select(m => (m.Type, Sent: m.SentAt.HasValue)),
            Is.EqualTo(new[] { (CredentialDelivery.EmailType, true), (CredentialDelivery.SmsType, true) }));

        var (account, password, letter) = Delivered();
        var user = await UserAsync(account);
        Assert.Multiple(() =>
        {
            Assert.That(account, Is.EqualTo($"{UnitId}.{UnitId}.contact"));
            Assert.That(user.OrgUnitId, Is.EqualTo(UnitId));
            Assert.That(user.Email, Is.EqualTo(Email));
            Assert.That(VerifiesPlatformPassword(user.PasswordHash!, password), Is.True, "the delivered password signs in");
            Assert.That(CredentialGenerator.IsStrong(password), Is.True);
            Assert.That(letter, Does.Contain("https://pds.example.gov.cn/"));
        });
        Assert.That(await RolesAsync(account), Is.EqualTo(new[] { Roles.DataContact }));

        var journal = await JournalTextAsync(run.InstanceId);
        Assert.That(journal, Does.Contain($"已开通 {account}"));
        Assert.That(journal, Does.Not.Contain(password));
        Assert.That((await OutboxOfAsync(run.InstanceId)).Select(m => m.PayloadJson), Has.None.Contains(password));
    }

    [Test]
    public async Task Reset_gives_the_account_a_new_password_and_unlocks_it()
    {
        await IssueAsync(IssuePlatformAccount.Type, PlatformForm());
        await DispatchAsync();
        var (account, first, _) = Delivered();
        await using (var db = await Db())
        {
            var user = await db.Users.SingleAsync(u => u.Id == account);
            user.FailedSignIns = 3;
            user.LockedUntil = Clock.GetUtcNow().UtcDateTime.AddMinutes(10);
            await db.SaveChangesAsync();
        }

        var run = await IssueAsync(IssuePlatformAccount.Type, PlatformForm("reset", account));
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished));
        await DispatchAsync();

        var (resetAccount, second, _) = Delivered();
        var reset = await UserAsync(account);
        Assert.Multiple(() =>
        {
            Assert.That(resetAccount, Is.EqualTo(account));
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(VerifiesPlatformPassword(reset.PasswordHash!, second), Is.True);
            Assert.That(VerifiesPlatformPassword(reset.PasswordHash!, first), Is.False);
            Assert.That((reset.FailedSignIns, reset.LockedUntil), Is.EqualTo((0, (DateTime?)null)));
        });
    }

    [Test]
    public async Task Reset_of_another_departments_account_stops_with_an_incident_and_changes_nothing()
    {
        await using (var db = await Db())
        {
            db.Users.Add(new UserRecord { Id = $"{OtherUnitId}.someone", DisplayName = "他人", OrgUnitId = OtherUnitId, PasswordHash = "unchanged", CreatedAt = Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }

        var run = await IssueAsync(IssuePlatformAccount.Type, PlatformForm("reset", $"{OtherUnitId}.someone"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("不属于"));
        Assert.That((await UserAsync($"{OtherUnitId}.someone")).PasswordHash, Is.EqualTo("unchanged"));
        Assert.That(await OutboxOfAsync(run.InstanceId), Is.Empty);
    }

    [Test]
    public async Task A_contact_flagged_as_not_on_record_and_not_confirmed_stops_the_step_before_anything_is_created()
    {
        var form = PlatformForm();
        form["email"] = $"unconfirmed.{UnitId}@example.gov.cn";
        form["contactDiffers"] = true;

        var run = await IssueAsync(IssuePlatformAccount.Type, form);

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("未确认核实"));
        await using var db = await Db();
        Assert.That(await db.Users.AnyAsync(u => u.Email == (string)form["email"]!), Is.False);
        Assert.That(await OutboxOfAsync(run.InstanceId), Is.Empty);
    }

    [Test]
    public async Task The_bureaus_own_unit_is_never_given_an_account_by_the_process()
    {
        var form = PlatformForm();
        form["email"] = $"bureau.{UnitId}@example.gov.cn";

        var run = await IssueAsync(IssuePlatformAccount.Type, form, unitId: "bureau");

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("本局的账号"));
        await using var db = await Db();
        Assert.That(await db.Users.AnyAsync(u => u.OrgUnitId == "bureau"), Is.False);
    }

    [Test]
    public async Task A_landline_stops_the_step_before_anything_is_created_as_the_zip_password_could_not_go_by_sms()
    {
        var form = PlatformForm();
        form["email"] = $"landline.{UnitId}@example.gov.cn";
        form["phone"] = "0375-5123456";

        var run = await IssueAsync(IssuePlatformAccount.Type, form);

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("不是手机号码"));
        await using var db = await Db();
        Assert.That(await db.Users.AnyAsync(u => u.Email == (string)form["email"]!), Is.False);
    }

    [Test]
    public async Task A_retried_step_creates_one_account_and_queues_one_letter_and_one_sms()
    {
        var form = PlatformForm();
        form["email"] = $"retry.{UnitId}@example.gov.cn";
        Faults.FailHasher(1);

        var run = await IssueAsync(IssuePlatformAccount.Type, form);
        Assert.That(run.Status, Is.Not.EqualTo(WorkflowStatus.Finished), "the first attempt failed");
        await RetryDueAsync();

        Assert.That((await Queries.GetInstanceAsync(run.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));
        await using var db = await Db();
        Assert.That(await db.Users.CountAsync(u => u.Email == (string)form["email"]!), Is.EqualTo(1));
        Assert.That((await OutboxOfAsync(run.InstanceId)).Select(m => m.Type),
            Is.EqualTo(new[] { CredentialDelivery.EmailType, CredentialDelivery.SmsType }));
    }

    [Test]
    public async Task Other_requests_are_left_to_the_bureaus_staff()
    {
        var form = PlatformForm("other");
        form["otherRequest"] = "变更账号绑定的手机号码";

        var run = await IssueAsync(IssuePlatformAccount.Type, form);

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished));
        Assert.That(await OutboxOfAsync(run.InstanceId), Is.Empty);
        Assert.That(await JournalTextAsync(run.InstanceId), Does.Contain("人工处理"));
    }

    private async Task<WorkflowDbContext> Db() => await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();

    private async Task<UserRecord> UserAsync(string id)
    {
        await using var db = await Db();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private async Task<List<string>> RolesAsync(string id)
    {
        await using var db = await Db();
        return await db.UserRoles.Where(r => r.UserId == id).Select(r => r.Role).ToListAsync();
    }
}
