using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// <see cref="ISmtpSender"/> on MailKit: SMTP in clear, upgraded with STARTTLS or TLS from the first byte
/// (<see cref="DeliveryOptions.Security"/>), with AUTH when a user name is set. The Message-ID header is set from the
/// message's key, so a message sent again after a crash carries the same one.
/// </summary>
public sealed class SmtpMailSender(IOptions<DeliveryOptions> options) : ISmtpSender
{
    /// <summary>
    /// Attachment names as RFC 2047 encoded words (<c>=?utf-8?B?…?=</c>), as System.Net.Mail wrote them: the mail clients
    /// common in Chinese government offices show an RFC 2231 name (MimeKit's default) as garbage or not at all.
    /// </summary>
    private static readonly FormatOptions Format = CreateFormat();

    public async Task SendAsync(MailEnvelope mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured || settings.SmtpHost is not { } host) throw new InvalidOperationException("Delivery:SmtpHost is not set.");
        using var message = Compose(mail, settings);
        using var client = new SmtpClient();
        if (settings.SmtpServerCertificateSha256 is { Length: > 0 } pinned)
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None || Matches(certificate, pinned);
        await client.ConnectAsync(host, settings.SmtpPort, Map(settings.Security), cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUserName)) await client.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? "", cancellationToken);
        await client.SendAsync(Format, message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    private static MimeMessage Compose(MailEnvelope mail, DeliveryOptions settings)
    {
        var message = new MimeMessage { Subject = mail.Subject, MessageId = mail.MessageId.Trim('<', '>') };
        message.From.Add(new MailboxAddress(settings.FromName, settings.From));
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.To));
        var text = new TextPart("plain") { Text = mail.Body, ContentTransferEncoding = ContentEncoding.Base64 };
        if (mail.Attachments.Count == 0)
        {
            message.Body = text;
            return message;
        }

        var body = new Multipart("mixed") { text };
        foreach (var attachment in mail.Attachments)
        {
            body.Add(new MimePart(ContentType.Parse(attachment.ContentType))
            {
                Content = new MimeContent(new MemoryStream(attachment.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = attachment.FileName,
            });
        }

        message.Body = body;
        return message;
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.ParameterEncodingMethod = ParameterEncodingMethod.Rfc2047;
        return format;
    }

    private static SecureSocketOptions Map(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private static bool Matches(X509Certificate? certificate, string sha256) =>
        certificate is not null && string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), Fingerprint(sha256), StringComparison.OrdinalIgnoreCase);

    internal static string Fingerprint(string value) => value.Replace(":", "", StringComparison.Ordinal).Trim();
}
