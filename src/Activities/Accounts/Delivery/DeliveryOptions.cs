using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Accounts.Delivery;

/// <summary>
/// Bound from the <c>Delivery</c> configuration section: the SMTP server credentials letters are sent through. While
/// <see cref="SmtpHost"/> is empty, letters wait in the outbox.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;

    /// <summary>None (port 25 in clear), StartTls (587) or SslOnConnect (implicit TLS, 465); unset: <see cref="SmtpStartTls"/> decides.</summary>
    public SmtpSecurity? SmtpSecurity { get; set; }

    /// <summary>The setting before <see cref="SmtpSecurity"/>: true is StartTls. Kept so existing configurations keep working.</summary>
    public bool SmtpStartTls { get; set; }

    /// <summary>
    /// The relay's certificate is accepted when its SHA-256 fingerprint (hex, colons allowed) is this one, for an intranet
    /// relay with a self-signed certificate; empty: the system's trust store decides.
    /// </summary>
    public string? SmtpServerCertificateSha256 { get; set; }

    public SmtpSecurity Security => SmtpSecurity ?? (SmtpStartTls ? Delivery.SmtpSecurity.StartTls : Delivery.SmtpSecurity.None);

    public string? SmtpUserName { get; set; }
    public string? SmtpPassword { get; set; }
    public string From { get; set; } = "pdsworkflow@localhost";
    public string FromName { get; set; } = "平顶山市政务数据共享交换平台";

    /// <summary>The right-hand side of the Message-ID derived from each message's idempotency key.</summary>
    public string MessageIdDomain { get; set; } = "pdsworkflow.local";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SmtpHost);
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Names every bad <c>Delivery</c> setting at start-up.</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        if (options.SmtpPort is < 1 or > 65535)
            failures.Add($"Delivery:SmtpPort '{options.SmtpPort}' must be between 1 and 65535.");
        if (!MailAddress.TryCreate(options.From, out _))
            failures.Add($"Delivery:From '{options.From}' is not an e-mail address.");
        if (string.IsNullOrWhiteSpace(options.MessageIdDomain) || options.MessageIdDomain.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '@'))
            failures.Add($"Delivery:MessageIdDomain '{options.MessageIdDomain}' must be a domain name.");
        if (options.SmtpSecurity is { } security && !Enum.IsDefined(security))
            failures.Add($"Delivery:SmtpSecurity '{security}' must be None, StartTls or SslOnConnect.");
        if (options.SmtpStartTls && options.SmtpSecurity is { } chosen && chosen != SmtpSecurity.StartTls)
            failures.Add($"Delivery:SmtpStartTls is true but Delivery:SmtpSecurity is '{chosen}': remove SmtpStartTls.");
        if (options.SmtpServerCertificateSha256 is { Length: > 0 } pin && !IsSha256(SmtpMailSender.Fingerprint(pin)))
            failures.Add("Delivery:SmtpServerCertificateSha256 must be a SHA-256 fingerprint: 64 hexadecimal digits (colons allowed).");
        if (options.SmtpServerCertificateSha256 is { Length: > 0 } && options.Security == SmtpSecurity.None)
            failures.Add("Delivery:SmtpServerCertificateSha256 is set but Delivery:SmtpSecurity is None: no certificate is ever presented.");
        if (string.IsNullOrEmpty(options.SmtpUserName) != string.IsNullOrEmpty(options.SmtpPassword))
            failures.Add("Delivery:SmtpUserName and Delivery:SmtpPassword must be set together.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsSha256(string hex) => hex.Length == 64 && hex.All(char.IsAsciiHexDigit);
}
