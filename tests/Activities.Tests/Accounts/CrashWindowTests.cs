using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Accounts;

/// <summary>
/// The dispatcher dies after the SMTP server or the SMS gateway took a message and before the outbox recorded it.
/// The next run sends it again with the same Message-ID / OutId, which the receiving side de-duplicates: the contact
/// gets the letter and the code once each, and nothing is lost.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CrashWindowTests(DatabaseProvider provider) : AccountsTestBase(provider)
{
    private readonly CrashAfterDelivery _crash = new();

    protected override void ConfigureAccounts(IServiceCollection services) => services.AddSingleton<IOutboxDeliveryObserver>(_crash);

    [Test]
    public async Task A_crash_between_sent_and_recorded_neither_loses_nor_duplicates_the_letter_or_the_code()
    {
        var run = await IssueAsync(IssuePlatformAccount.Type, PlatformForm());
        var (mails, messages) = (Smtp.Received.Count, Sms.Accepted.Count);
        _crash.Crash(CredentialDelivery.EmailType, CredentialDelivery.SmsType);

        Assert.ThrowsAsync<IOException>(DispatchAsync, "died after the first delivery");
        Assert.That(Smtp.Received.Count - mails + Sms.Accepted.Count - messages, Is.EqualTo(1), "one message went out");
        Assert.That((await OutboxOfAsync(run.InstanceId)).Select(m => m.SentAt), Has.All.Null, "and was not recorded");

        // The Host's dispatcher runs again on its next tick (or another node does): until everything is recorded.
        for (var tick = 0; tick < 5; tick++)
        {
            try
            {
                await DispatchAsync();
                break;
            }
            catch (IOException)
            {
            }
        }


        var outbox = await OutboxOfAsync(run.InstanceId);
        Assert.That(outbox.Select(m => (m.Attempts, m.SentAt.HasValue)), Is.EqualTo(new[] { (1, true), (1, true) }));
        var sentMails = Smtp.Received.Skip(mails).ToList();
        var sentMessages = Sms.Accepted.Skip(messages).ToList();
        Assert.That(sentMails.Select(m => m.MessageId).Distinct().Count(), Is.EqualTo(1), "sent twice under one Message-ID");
        Assert.That((sentMails.Count, Smtp.MailboxOf(Email).Count), Is.EqualTo((2, 1)), "the mailbox keeps one");
        Assert.That(sentMessages.Select(m => m.OutId).Distinct().Count(), Is.EqualTo(1), "sent twice under one OutId");
        Assert.That((sentMessages.Count, Sms.Delivered.Count(m => m.OutId == sentMessages[0].OutId)), Is.EqualTo((2, 1)), "the phone gets one");

        var (account, password, _) = Delivered();
        Assert.That((account, CredentialGenerator.IsStrong(password)), Is.EqualTo(($"{UnitId}.{UnitId}.contact", true)));
    }

    [Test]
    public async Task The_letter_opens_with_the_sms_code_and_not_without_it_or_with_another()
    {
        var form = PlatformForm();
        form["email"] = $"zip.{UnitId}@example.gov.cn";
        await IssueAsync(IssuePlatformAccount.Type, form);
        await DispatchAsync();
        var letter = Smtp.MailboxOf((string)form["email"]!).Single().Attachment("application/zip");
        var code = (string)Sms.Delivered.Last().Parameters["code"]!;

        Assert.That(ReadZip(letter, code), Does.Contain("密码："));
        Assert.Throws<ICSharpCode.SharpZipLib.Zip.ZipException>(() => ReadZip(letter, null));
        Assert.Throws<ICSharpCode.SharpZipLib.Zip.ZipException>(() => ReadZip(letter, code[..^1] + (code[^1] == 'a' ? 'b' : 'a')));
    }

    /// <summary>Throws once after each named type's next delivery, before the dispatcher records it.</summary>
    private sealed class CrashAfterDelivery : IOutboxDeliveryObserver
    {
        private readonly ConcurrentDictionary<string, byte> _types = new(StringComparer.Ordinal);

        public void Crash(params string[] types)
        {
            foreach (var type in types) _types.TryAdd(type, 0);
        }

        public Task DeliveredAsync(OutboxMessage message, CancellationToken cancellationToken) =>
            _types.TryRemove(message.Type, out _) ? throw new IOException($"injected: the node died after delivering {message.Type}") : Task.CompletedTask;
    }
}
