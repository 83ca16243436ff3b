namespace PdsWorkflow.Activities.Accounts.Delivery;

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>One e-mail. <see cref="MessageId"/> (with angle brackets) is the idempotency key a receiver can de-duplicate by.</summary>
public sealed record MailEnvelope(string To, string? ToName, string Subject, string Body, string MessageId, IReadOnlyList<MailAttachment> Attachments);

/// <summary>Sends e-mail over SMTP.</summary>
public interface ISmtpSender
{
    Task SendAsync(MailEnvelope mail, CancellationToken cancellationToken);
}
