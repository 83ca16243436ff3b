using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Notifications;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Notifications;

/// <summary>
/// The <c>notify.*</c> messages delivered by the outbox for real: in-app rows on the product's database of each provider,
/// e-mail to a local SMTP server, SMS to a local Alibaba Cloud endpoint that checks the signature.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class NotificationDeliveryTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private const string SmsKeyId = "LTAI5tPdsNotifyTest";
    private const string SmsSecret = "pds-test-notification-sms-secret";
    private const string Template = "SMS_480000002";
    private const string Both = "ntf.both";
    private const string EmailOnly = "ntf.email";
    private const string Nothing = "ntf.nothing";
    private const string BothEmail = "zhou.xiaolan@example.gov.cn";
    private const string EmailOnlyAddress = "wu.haoran@example.gov.cn";

    private readonly LocalSmtpServer _smtp = new();
    private readonly LocalAliyunSmsServer _sms = new(SmsKeyId, SmsSecret);

    private OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();
    private NotificationService Notifications => Services.GetRequiredService<NotificationService>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddPdsActivities(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Accounts:PlatformUrl"] = "https://pds.example.gov.cn/",
            ["Delivery:SmtpHost"] = "127.0.0.1",
            ["Delivery:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:From"] = "pds-noreply@example.gov.cn",
            ["Sms:Provider"] = "Aliyun",
            ["Sms:Endpoint"] = _sms.Endpoint.ToString(),
            ["Sms:AccessKeyId"] = SmsKeyId,
            ["Sms:AccessKeySecret"] = SmsSecret,
            ["Sms:SignName"] = "平顶山大数据",
            ["Sms:TemplateCode"] = "SMS_480000001",
            ["Notifications:SmsTemplateCode"] = Template,
        }).Build());
        services.AddOutbox(configure: o => o.MaxAttempts = 3);
    }

    [OneTimeSetUp]
    public async Task SeedUsersAsync()
    {
        foreach (var module in Services.GetServices<IModuleDatabase>()) await module.MigrateAsync(CancellationToken.None);
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        db.OrgUnits.Add(new OrgUnitRecord { Id = "gaj", Name = "市公安局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.Users.AddRange(
            new UserRecord { Id = Both, DisplayName = "周晓岚", OrgUnitId = "gaj", Email = BothEmail, Phone = "139 3750 0101", CreatedAt = created },
            new UserRecord { Id = EmailOnly, DisplayName = "吴浩然", OrgUnitId = "gaj", Email = EmailOnlyAddress, Phone = "0375-2345678", CreatedAt = created },
            new UserRecord { Id = Nothing, DisplayName = "郑一凡", OrgUnitId = "gaj", CreatedAt = created });
        await db.SaveChangesAsync();
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _smtp.DisposeAsync();
        await _sms.DisposeAsync();
    }

    [Test]
    public async Task An_overdue_task_reaches_the_user_in_app_by_email_and_by_sms()
    {
        var title = Title("企业营业执照信息订阅审批");
        var id = await EnqueueAsync("notify.task-overdue", Notice(Both, title));

        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.That(await SentAsync(id), Is.True);
        var mail = _smtp.MailboxOf(BothEmail).Single(m => m.TextBody().Contains(title, StringComparison.Ordinal));
        Assert.That(mail.TextBody(), Does.Contain($"周晓岚，您好").And.Contain($"待办事项“{title}”已超过办理时限").And.Contain("https://pds.example.gov.cn/"));
        var sms = _sms.Delivered.Single(s => s.Parameters["title"]!.GetValue<string>().Contains(title[..6], StringComparison.Ordinal));
        Assert.That((sms.Phone, sms.TemplateCode), Is.EqualTo(("13937500101", Template)));
        Assert.That(sms.Parameters["title"]!.GetValue<string>(), Does.StartWith("待办已超期：").And.Length.LessThanOrEqualTo(30));
        var page = await Notifications.ListAsync(Both);
        var notification = page.Items.Single(n => n.Title == $"待办已超期：{title}");
        Assert.That(notification.ReadAt, Is.Null);
        Assert.That(page.Unread, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_user_without_address_or_mobile_is_notified_in_app_only_and_the_message_is_not_dead_lettered()
    {
        var title = Title("接口申请催办");
        var id = await EnqueueAsync("notify.task-urged", Notice(Nothing, title));
        var emailOnly = await EnqueueAsync("notify.task-urged", Notice(EmailOnly, title));

        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.That(await SentAsync(id), Is.True);
        Assert.That(await SentAsync(emailOnly), Is.True);
        Assert.That(await ChannelsAsync(id), Is.EqualTo((ChannelStatus.NoAddress, ChannelStatus.NoAddress)));
        Assert.That(await ChannelsAsync(emailOnly), Is.EqualTo((ChannelStatus.Sent, ChannelStatus.NoAddress)), "a landline gets no SMS");
        Assert.That((await Notifications.ListAsync(Nothing)).Items.Select(n => n.Title), Does.Contain($"催办：{title}"));
        Assert.That(_sms.Accepted.Where(s => s.Parameters["title"]!.GetValue<string>().Contains(title[..4], StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task An_assignment_goes_by_email_but_not_by_sms()
    {
        var title = Title("平台账号申请");
        var id = await EnqueueAsync("notify.task-assigned", Notice(Both, title));

        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.That(await ChannelsAsync(id), Is.EqualTo((ChannelStatus.Sent, ChannelStatus.NotUsed)));
        Assert.That(_smtp.MailboxOf(BothEmail).Select(m => m.TextBody()), Has.Some.Contains($"您有一项新的待办事项“{title}”，办理时限为 2026-03-05 23:59"));
    }

    [Test]
    public async Task A_message_delivered_again_adds_no_second_notification_and_sends_nothing_twice()
    {
        var title = Title("目录变更");
        var message = new OutboxMessage(Guid.NewGuid(), "notify.task-due-soon", $"test:{Guid.NewGuid():N}", Notice(Both, title), 1, null, Clock.GetUtcNow());
        var sender = Services.GetRequiredService<NotificationSender>();

        await sender.DeliverAsync(message, CancellationToken.None);
        await sender.DeliverAsync(message with { Attempt = 2 }, CancellationToken.None);

        Assert.That((await Notifications.ListAsync(Both, take: 100)).Items.Count(n => n.Title.Contains(title, StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(_smtp.Received.Count(m => m.TextBody().Contains(title, StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(_sms.Accepted.Count(s => s.Parameters["title"]!.GetValue<string>().Contains(title[..4], StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_case_notice_carries_its_subject_and_body()
    {
        var subject = Title("省级部门未同意");
        await EnqueueAsync("notify.case", new JsonObject { ["user"] = EmailOnly, ["instanceId"] = Guid.NewGuid().ToString(), ["subject"] = subject, ["body"] = "该资源仅限省直部门使用" });

        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        var notice = (await Notifications.ListAsync(EmailOnly, take: 100)).Items.Single(n => n.Title == subject);
        Assert.That(notice.Body, Is.EqualTo("该资源仅限省直部门使用"));
        Assert.That(_smtp.MailboxOf(EmailOnlyAddress).Select(m => m.TextBody()), Has.Some.Contains("该资源仅限省直部门使用"));
    }

    [Test]
    public async Task An_interface_term_ending_reaches_the_consumer_contacts_and_the_applicant_naming_interface_consumer_and_end_date()
    {
        var unit = $"u{Guid.NewGuid():N}"[..12];
        var (contact, admin, applicant, bystander) = ($"{unit}.contact", $"{unit}.admin", $"{unit}.applicant", $"{unit}.other");
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            db.OrgUnits.Add(new OrgUnitRecord { Id = unit, Name = "市人力资源和社会保障局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
            var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            db.Users.AddRange(
                new UserRecord { Id = contact, DisplayName = "钱文静", OrgUnitId = unit, Email = $"{unit}.contact@example.gov.cn", CreatedAt = created },
                new UserRecord { Id = admin, DisplayName = "孙立平", OrgUnitId = unit, CreatedAt = created },
                new UserRecord { Id = applicant, DisplayName = "李振华", OrgUnitId = unit, Email = $"{unit}.applicant@example.gov.cn", CreatedAt = created },
                new UserRecord { Id = bystander, DisplayName = "赵一鸣", OrgUnitId = unit, Email = $"{unit}.other@example.gov.cn", CreatedAt = created });
            db.UserRoles.AddRange(
                new UserRoleRecord { UserId = contact, Role = Roles.DataContact, OrgUnitId = unit },
                new UserRoleRecord { UserId = admin, Role = Roles.DepartmentAdmin, OrgUnitId = unit });
            await db.SaveChangesAsync();
        }

        // The payload the interfaces' daily sweep queues (InterfaceSweep).
        var id = await EnqueueAsync("notify.interface-term-ending", new JsonObject
        {
            ["orgUnitId"] = unit, ["applicant"] = applicant, ["authorizationId"] = Guid.NewGuid().ToString(), ["interfaceName"] = "婚姻登记信息核验接口",
            ["systemName"] = "社保待遇资格认证系统", ["consumerName"] = "市人力资源和社会保障局", ["termEnd"] = "2026-04-08", ["workingDaysLeft"] = 6,
        });

        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.That(await SentAsync(id), Is.True);
        const string body = "市人力资源和社会保障局的业务系统“社保待遇资格认证系统”调用服务接口“婚姻登记信息核验接口”的授权将于 2026-04-08 到期（剩余 6 个工作日）。";
        foreach (var user in new[] { contact, admin, applicant })
        {
            var notice = (await Notifications.ListAsync(user)).Items.Single();
            Assert.That(notice.Title, Is.EqualTo("服务接口授权即将到期：婚姻登记信息核验接口"));
            Assert.That(notice.Body, Does.StartWith(body).And.Contain("《共享交换平台管理暂行办法》第十九条"));
        }

        Assert.That((await Notifications.ListAsync(bystander)).Total, Is.Zero, "only the contacts, the administrators and the applicant");
        Assert.That(_smtp.MailboxOf($"{unit}.contact@example.gov.cn").Select(m => m.TextBody()), Has.Some.Contains("钱文静，您好").And.Some.Contains(body));
        Assert.That(_smtp.MailboxOf($"{unit}.applicant@example.gov.cn").Select(m => m.TextBody()), Has.Some.Contains(body));
        Assert.That(_smtp.MailboxOf($"{unit}.other@example.gov.cn"), Is.Empty);

        // Delivered again (a crash before "sent" was recorded): nobody gets a second notice or a second e-mail.
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var record = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
            var message = new OutboxMessage(record.Id, record.Type, record.Key, JsonNode.Parse(record.PayloadJson)!, 2, record.InstanceId, Clock.GetUtcNow());
            await Services.GetRequiredService<NotificationSender>().DeliverAsync(message, CancellationToken.None);
        }

        Assert.That((await Notifications.ListAsync(contact)).Total, Is.EqualTo(1));
        Assert.That(_smtp.Received.Count(m => m.Recipients.Contains($"{unit}.contact@example.gov.cn", StringComparer.OrdinalIgnoreCase)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_user_reads_one_or_all_of_their_own_notifications_newest_first()
    {
        var user = $"reader{Guid.NewGuid():N}"[..14];
        var other = $"other{Guid.NewGuid():N}"[..13];
        foreach (var name in new[] { "第一件", "第二件", "第三件" })
        {
            await EnqueueAsync("notify.case-copied", Notice(user, name));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await EnqueueAsync("notify.case-copied", Notice(other, "别人的"));
        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        var page = await Notifications.ListAsync(user);
        Assert.That(page.Items.Select(n => n.Title), Is.EqualTo(new[] { "抄送：第三件", "抄送：第二件", "抄送：第一件" }));
        Assert.That((page.Total, page.Unread), Is.EqualTo((3, 3)));

        var first = page.Items[^1].Id;
        var read = Ok(await Notifications.MarkReadAsync(user, first));
        Assert.That(read.ReadAt, Is.EqualTo(Clock.GetUtcNow()).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(await Notifications.UnreadCountAsync(user), Is.EqualTo(2));
        Assert.That((await Notifications.ListAsync(user, unreadOnly: true)).Items.Select(n => n.Id), Does.Not.Contain(first));
        Assert.That((await Notifications.MarkReadAsync(other, first)).Error?.Code, Is.EqualTo("notification_not_found"));

        Assert.That(await Notifications.MarkAllReadAsync(user), Is.EqualTo(2));
        Assert.That(await Notifications.UnreadCountAsync(user), Is.Zero);
        Assert.That(await Notifications.UnreadCountAsync(other), Is.EqualTo(1));
    }

    private static string Title(string name) => $"{name}{Guid.NewGuid():N}"[..(name.Length + 6)];

    private static JsonObject Notice(string user, string title) => new()
    {
        ["user"] = user,
        ["taskId"] = Guid.NewGuid().ToString(),
        ["instanceId"] = Guid.NewGuid().ToString(),
        ["title"] = title,
        ["dueAt"] = "2026-03-05 23:59",
    };

    /// <summary>Queues a message as the task service does, in a transaction of the product's database.</summary>
    private async Task<Guid> EnqueueAsync(string type, JsonObject payload)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var now = Clock.GetUtcNow().UtcDateTime;
        var record = new OutboxRecord
        {
            Id = Guid.NewGuid(), Type = type, Key = $"{type}:{Guid.NewGuid():N}", PayloadJson = payload.ToJsonString(),
            CreatedAt = now, NextAttemptAt = now,
        };
        db.Outbox.Add(record);
        await db.SaveChangesAsync();
        return record.Id;
    }

    private async Task<bool> SentAsync(Guid id)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
        return message.SentAt is not null && message.DeadAt is null;
    }

    private async Task<(string? Email, string? Sms)> ChannelsAsync(Guid outboxId)
    {
        string key;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
            key = await db.Outbox.Where(m => m.Id == outboxId).Select(m => m.Key).SingleAsync();
        await using var notifications = Services.GetRequiredService<NotificationDatabase>().CreateContext();
        var row = await notifications.Notifications.SingleAsync(n => n.MessageKey == key);
        return (row.EmailStatus, row.SmsStatus);
    }

    private static T Ok<T>(Workflows.Runtime.WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.True, result.ToString());
        return result.Value;
    }
}
