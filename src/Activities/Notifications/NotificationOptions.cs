using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Notifications;

/// <summary>
/// Bound from the <c>Notifications</c> section. Every notification is kept in-app and sent by e-mail when the user has an
/// address and the SMTP relay (<c>Delivery:*</c>) is set; the kinds in <see cref="SmsTypes"/> also go by SMS through the
/// gateway of <c>Sms:*</c> with their own approved template.
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The approved SMS template for notifications (e.g. SMS_480000002); empty: no notification goes by SMS.</summary>
    public string? SmsTemplateCode { get; set; }

    /// <summary>The template's variable that carries the notification's title.</summary>
    public string SmsParameter { get; set; } = "title";

    /// <summary>The kinds that also go by SMS: the urgent ones by default.</summary>
    public string[] SmsTypes { get; set; } = ["notify.task-urged", "notify.task-due-soon", "notify.task-overdue"];

    /// <summary>Carriers cap a template variable's length; a longer title is cut.</summary>
    public int SmsParameterMaxLength { get; set; } = 30;
}

/// <summary>Names every bad <c>Notifications</c> setting at start-up.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        foreach (var type in options.SmsTypes.Where(t => NotificationKinds.Of(t) is null))
            failures.Add($"Notifications:SmsTypes names '{type}', which is not a notification kind ({string.Join(", ", NotificationKinds.All.Select(k => k.Type))}).");
        if (string.IsNullOrWhiteSpace(options.SmsParameter))
            failures.Add("Notifications:SmsParameter is required.");
        if (options.SmsParameterMaxLength is < 5 or > 500)
            failures.Add($"Notifications:SmsParameterMaxLength '{options.SmsParameterMaxLength}' must be between 5 and 500.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
