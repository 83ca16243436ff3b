namespace PdsWorkflow.Activities.Notifications;

/// <summary>What became of one channel of a notification.</summary>
public static class ChannelStatus
{
    public const string Sent = "sent";

    /// <summary>The user has no e-mail address (or no mobile number): the notification is in-app only.</summary>
    public const string NoAddress = "no_address";

    /// <summary>The channel is not set up on this site (no SMTP relay, no SMS gateway or template).</summary>
    public const string NotConfigured = "not_configured";

    /// <summary>This kind of message does not go by this channel.</summary>
    public const string NotUsed = "not_used";

    /// <summary>The user is unknown or disabled.</summary>
    public const string NoUser = "no_user";
}

/// <summary>
/// An in-app notification (站内消息) of one user, made from one <c>notify.*</c> outbox message (<see cref="MessageKey"/>,
/// unique: a message delivered again finds its row), with what became of its e-mail and SMS.
/// </summary>
public sealed class NotificationRecord
{
    private NotificationRecord()
    {
    }

    internal NotificationRecord(string messageKey, string userId, string type, string title, string body, Guid? instanceId, Guid? taskId, DateTime at)
    {
        Id = Guid.NewGuid();
        MessageKey = messageKey;
        UserId = userId;
        Type = type;
        Title = title;
        Body = body;
        InstanceId = instanceId;
        TaskId = taskId;
        CreatedAt = at;
    }

    public Guid Id { get; private set; }
    public string MessageKey { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public string Type { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public Guid? InstanceId { get; private set; }
    public Guid? TaskId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? ReadAt { get; private set; }

    /// <summary>Null until the channel was tried to the end; see <see cref="ChannelStatus"/>.</summary>
    public string? EmailStatus { get; private set; }

    public string? SmsStatus { get; private set; }

    /// <summary>Microseconds, as PostgreSQL keeps them, so a time reads back as it was written.</summary>
    internal static DateTime Stored(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>The first reading counts; reading again changes nothing.</summary>
    internal void MarkRead(DateTime at) => ReadAt ??= at;

    internal void RecordEmail(string status) => EmailStatus = status;

    internal void RecordSms(string status) => SmsStatus = status;
}
