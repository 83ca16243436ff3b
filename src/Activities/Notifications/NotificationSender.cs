using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Accounts.Delivery;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Forms.Validators;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Outbox;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Notifications;

/// <summary>
/// Delivers one <c>notify.*</c> message: first the in-app notification (one row per message key), then the e-mail, then
/// the SMS, recording each channel's outcome on the row as soon as it is known. A message delivered again (a failed
/// channel retried by the outbox, or a crash before it was marked sent) finds its row and only tries the channels without
/// an outcome; those that were sent go out under the same Message-ID / OutId, which the receiving side de-duplicates by.
/// A user without an address or a number gets the in-app notification only: that is an outcome, not a failure.
/// </summary>
public sealed class NotificationSender(
    NotificationDatabase database,
    WorkflowStore store,
    ISmtpSender smtp,
    ISmsGateway sms,
    IOptions<NotificationOptions> options,
    IOptions<DeliveryOptions> delivery,
    IOptions<SmsOptions> smsOptions,
    IOptions<AccountsOptions> accounts)
{
    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var kind = NotificationKinds.Of(message.Type) ?? throw new InvalidOperationException($"'{message.Type}' is not a notification kind.");
        var payload = message.Payload.AsObject();
        if (NotificationKinds.Text(payload, "user") is { } userId)
        {
            await DeliverToAsync(message, kind, payload, userId, message.Key, cancellationToken);
            return;
        }

        // A message to a department (orgUnitId): each recipient gets a row of their own, keyed by the message and the user.
        var recipients = await RecipientsAsync(payload, cancellationToken);
        if (recipients.Count == 0)
            throw new InvalidOperationException($"The notification {message.Key} names no user, and its unit has no active user to tell.");
        foreach (var recipient in recipients)
            await DeliverToAsync(message, kind, payload, recipient, $"{message.Key}/{recipient}", cancellationToken);
    }

    /// <summary>
    /// Who hears of a message to a department: its data-sharing contacts (数据共享责任人) and administrators, and the user
    /// named as <c>applicant</c> (who applied for what the message is about); when the unit has neither role, its active users.
    /// </summary>
    private async Task<IReadOnlyList<string>> RecipientsAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var unit = NotificationKinds.Text(payload, "orgUnitId") ?? throw new InvalidOperationException("The notification names neither a user nor a unit.");
        string[] roles = [Roles.DataContact, Roles.DepartmentAdmin];
        await using var engine = await store.CreateContextAsync(cancellationToken);
        var active = engine.Users.AsNoTracking().Where(u => u.IsActive);
        var contacts = await active
            .Where(u => engine.UserRoles.Any(r => r.UserId == u.Id && r.OrgUnitId == unit && roles.Contains(r.Role)))
            .Select(u => u.Id).ToListAsync(cancellationToken);
        if (NotificationKinds.Text(payload, "applicant") is { } applicant && await active.AnyAsync(u => u.Id == applicant, cancellationToken))
            contacts.Add(applicant);
        if (contacts.Count == 0) contacts = await active.Where(u => u.OrgUnitId == unit).Select(u => u.Id).ToListAsync(cancellationToken);
        return contacts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private async Task DeliverToAsync(OutboxMessage message, NotificationKind kind, JsonObject payload, string userId, string key, CancellationToken cancellationToken)
    {
        UserRecord? user;
        await using (var engine = await store.CreateContextAsync(cancellationToken))
            user = await engine.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId && u.IsActive, cancellationToken);

        await using var db = database.CreateContext();
        var record = await db.Notifications.FirstOrDefaultAsync(n => n.MessageKey == key, cancellationToken);
        if (record is null)
        {
            // Dated when the event happened (the message was queued), not when the outbox got round to it.
            record = new NotificationRecord(key, userId, message.Type, kind.Title(payload), kind.Body(payload),
                Id(payload, "instanceId") ?? message.InstanceId, Id(payload, "taskId"), NotificationRecord.Stored(message.CreatedAt.UtcDateTime));
            db.Notifications.Add(record);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (record.EmailStatus is null)
        {
            record.RecordEmail(await EmailAsync(record, user, key, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }

        if (record.SmsStatus is null)
        {
            record.RecordSms(await SmsAsync(record, user, key, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<string> EmailAsync(NotificationRecord record, UserRecord? user, string key, CancellationToken cancellationToken)
    {
        if (user is null) return ChannelStatus.NoUser;
        if (string.IsNullOrWhiteSpace(user.Email)) return ChannelStatus.NoAddress;
        var settings = delivery.Value;
        if (!settings.IsConfigured) return ChannelStatus.NotConfigured;
        var text = $"""
            {user.DisplayName}，您好：

            {record.Body}

            请登录平顶山市政务数据共享交换平台查看：{accounts.Value.PlatformUrl}

            本邮件由系统自动发送，请勿直接回复。
            """;
        await smtp.SendAsync(new MailEnvelope(user.Email.Trim(), user.DisplayName, record.Title, text,
            CredentialEmailHandler.MessageId(key, settings.MessageIdDomain), []), cancellationToken);
        return ChannelStatus.Sent;
    }

    private async Task<string> SmsAsync(NotificationRecord record, UserRecord? user, string key, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.SmsTypes.Contains(record.Type, StringComparer.Ordinal)) return ChannelStatus.NotUsed;
        if (user is null) return ChannelStatus.NoUser;
        if (user.Phone is not { } phone || PhoneNumbers.NormalizeMobile(phone) is not { } mobile) return ChannelStatus.NoAddress;
        if (!smsOptions.Value.IsConfigured || string.IsNullOrWhiteSpace(settings.SmsTemplateCode)) return ChannelStatus.NotConfigured;
        var title = record.Title.Length > settings.SmsParameterMaxLength ? record.Title[..(settings.SmsParameterMaxLength - 1)] + "…" : record.Title;
        await sms.SendAsync(new SmsRequest(mobile, new JsonObject { [settings.SmsParameter] = title }, CredentialSmsHandler.OutId(key), settings.SmsTemplateCode),
            cancellationToken);
        return ChannelStatus.Sent;
    }

    private static Guid? Id(JsonObject payload, string name) => Guid.TryParse(NotificationKinds.Text(payload, name), out var id) ? id : null;
}

/// <summary>The outbox handler of one notification kind; the work is <see cref="NotificationSender"/>'s.</summary>
public sealed class NotificationHandler(string messageType, NotificationSender sender) : IOutboxHandler
{
    public string MessageType => messageType;

    public Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken) => sender.DeliverAsync(message, cancellationToken);
}
