using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Accounts.Ftp;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Accounts;

/// <summary>
/// Form 2, FTP: accounts on the pure-ftpd of scripts/ftp.sh. The contact logs in with what was delivered and uploads a
/// file. The product's database plays no part in this, so one provider suffices.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
public sealed class FtpAccountTests(DatabaseProvider provider) : AccountsTestBase(provider)
{
    private DbConnectionStringBuilder Ftp { get; } = new() { ConnectionString = FtpSettings ?? "" };

    protected override void ConfigureAccounts(IServiceCollection services) =>
        services.AddSingleton<IFtpAccounts>(sp => new CrashAfterEffect(sp.GetRequiredService<FaultSwitch>(), ActivatorUtilities.CreateInstance<PureFtpdAccounts>(sp)));

    [OneTimeSetUp]
    public void RequireServer()
    {
        if (FtpSettings is not null) return;
        const string message = $"The FTP tests need {FtpVariable} (scripts/ftp.sh starts pure-ftpd and prints it; scripts/test.sh exports it).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
        Assert.Ignore(message);
    }

    [OneTimeTearDown]
    public async Task RemoveAccountsAsync()
    {
        if (FtpSettings is null) return;
        var options = Services.GetRequiredService<IOptions<FtpOptions>>().Value;
        foreach (var line in File.ReadAllLines(options.PasswdFile!).Where(l => l.StartsWith($"ftp_{UnitId}_", StringComparison.Ordinal)))
        {
            var name = line.Split(':')[0];
            using var userdel = Process.Start(options.PurePw, ["userdel", name, "-f", options.PasswdFile!, "-F", options.DatabaseFile!, "-m"])!;
            await userdel.WaitForExitAsync();
            var home = Path.Combine(options.HomeRoot, name);
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
    }

    [Test]
    public async Task New_ftp_account_logs_in_with_the_delivered_credentials_and_uploads_a_file()
    {
        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("ftp"));
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage);
        await DispatchAsync();
        var (account, password, letter) = Delivered();
        Assert.That(account, Does.Match($"^ftp_{UnitId}_[0-9]{{2}}$"));
        Assert.That(letter, Does.Contain((string)Ftp["Port"]));

        var content = Encoding.UTF8.GetBytes("统一社会信用代码,企业名称\n91410402MA3X7K2P2D,示例企业\n");
        await FtpTestClient.UploadAsync((string)Ftp["Host"], Port, account, password, "licences.csv", content);

        var uploaded = Path.Combine((string)Ftp["HomeRoot"], account, "licences.csv");
        Assert.That(await File.ReadAllBytesAsync(uploaded), Is.EqualTo(content));
        Assert.That(await JournalTextAsync(run.InstanceId), Does.Contain(account).And.Not.Contain(password));
    }

    [Test]
    public async Task Reset_gives_a_new_password_and_the_old_one_no_longer_logs_in()
    {
        await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("ftp"));
        await DispatchAsync();
        var (account, first, _) = Delivered();

        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("ftp", "reset", account));
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage);
        await DispatchAsync();
        var (_, second, _) = Delivered();

        Assert.That(second, Is.Not.EqualTo(first));
        await FtpTestClient.UploadAsync((string)Ftp["Host"], Port, account, second, "after-reset.txt", "ok"u8.ToArray());
        Assert.ThrowsAsync<FtpLoginRefusedException>(() => FtpTestClient.UploadAsync((string)Ftp["Host"], Port, account, first, "old.txt", "no"u8.ToArray()));
    }

    [Test]
    public async Task Reset_of_another_departments_ftp_account_stops_with_an_incident()
    {
        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("ftp", "reset", $"ftp_{OtherUnitId}_01"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(await OutboxOfAsync(run.InstanceId), Is.Empty);
    }

    [Test]
    public async Task A_step_retried_after_its_ftp_account_was_made_reuses_it_and_sends_once()
    {
        Faults.FailAdapterAfterEffect(1);

        var run = await IssueAsync(IssueFrontEndAccount.Type, FrontEndForm("ftp"));
        Assert.That(run.Status, Is.Not.EqualTo(WorkflowStatus.Finished));
        var before = Accounts();
        await RetryDueAsync();

        Assert.That((await Queries.GetInstanceAsync(run.InstanceId))!.Status, Is.EqualTo(WorkflowStatus.Finished));
        Assert.That(Accounts(), Is.EqualTo(before), "no second account");
        Assert.That((await OutboxOfAsync(run.InstanceId)).Select(m => m.Type), Is.EqualTo(new[] { CredentialDelivery.EmailType, CredentialDelivery.SmsType }));
        await DispatchAsync();
        var (account, password, _) = Delivered();
        Assert.That(before, Does.Contain(account));
        await FtpTestClient.UploadAsync((string)Ftp["Host"], Port, account, password, "retry.txt", "ok"u8.ToArray());
    }

    private int Port => int.Parse((string)Ftp["Port"], System.Globalization.CultureInfo.InvariantCulture);

    private List<string> Accounts() =>
        File.ReadAllLines((string)Ftp["PasswdFile"]).Select(l => l.Split(':')[0]).Where(n => n.StartsWith($"ftp_{UnitId}_", StringComparison.Ordinal)).Order().ToList();

    private sealed class CrashAfterEffect(FaultSwitch faults, IFtpAccounts inner) : IFtpAccounts
    {
        public async Task<FtpAccount> IssueAsync(FtpAccountRequest request, CancellationToken cancellationToken)
        {
            var account = await inner.IssueAsync(request, cancellationToken);
            if (faults.TakeAdapterFailure()) throw new IOException("injected: the step died after pure-pw had made the account");
            return account;
        }
    }
}
