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

    /// <summary>Upgrade the connection with STARTTLS (System.Net.Mail does not speak implicit TLS on port 465).</summary>
    public bool SmtpStartTls { get; set; }

    public string? SmtpUserName { get; set; }
    public string? SmtpPassword { get; set; }
    public string From { get; set; } = "pdsworkflow@localhost";
    public string FromName { get; set; } = "平顶山市政务数据共享交换平台";

    /// <summary>The right-hand side of the Message-ID derived from each message's idempotency key.</summary>
    public string MessageIdDomain { get; set; } = "pdsworkflow.local";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SmtpHost);
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
        if (string.IsNullOrEmpty(options.SmtpUserName) != string.IsNullOrEmpty(options.SmtpPassword))
            failures.Add("Delivery:SmtpUserName and Delivery:SmtpPassword must be set together.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
