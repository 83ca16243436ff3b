using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// <see cref="ISmtpSender"/> on System.Net.Mail (MailKit cannot be restored here). It speaks SMTP with optional STARTTLS
/// and AUTH, which is what a government mail relay offers; the Message-ID header is set from the message's key, so a
/// message sent again after a crash carries the same one.
/// </summary>
public sealed class SmtpMailSender(IOptions<DeliveryOptions> options) : ISmtpSender
{
    public async Task SendAsync(MailEnvelope mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured) throw new InvalidOperationException("Delivery:SmtpHost is not set.");
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From, settings.FromName, Encoding.UTF8),
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = mail.Body,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.Base64,
            HeadersEncoding = Encoding.UTF8,
        };
        message.To.Add(new MailAddress(mail.To, mail.ToName, Encoding.UTF8));
        message.Headers.Add("Message-ID", mail.MessageId);
        foreach (var attachment in mail.Attachments)
        {
            var part = new Attachment(new MemoryStream(attachment.Content), attachment.FileName, attachment.ContentType)
            {
                NameEncoding = Encoding.UTF8,
                TransferEncoding = TransferEncoding.Base64,
            };
            part.ContentDisposition!.FileName = attachment.FileName;
            message.Attachments.Add(part);
        }

        using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = settings.SmtpStartTls,
            UseDefaultCredentials = false,
        };
        if (!string.IsNullOrEmpty(settings.SmtpUserName)) client.Credentials = new NetworkCredential(settings.SmtpUserName, settings.SmtpPassword);
        await client.SendMailAsync(message, cancellationToken);
    }
}
