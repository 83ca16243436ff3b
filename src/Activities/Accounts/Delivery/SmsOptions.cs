using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Accounts.Delivery;

public enum SmsProvider
{
    /// <summary>No gateway: SMS messages wait in the outbox until one is configured.</summary>
    None,

    /// <summary>Alibaba Cloud SMS (dysmsapi <c>SendSms</c>, signature version 1.0, HMAC-SHA1).</summary>
    Aliyun,
}

/// <summary>Bound from the <c>Sms</c> configuration section.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    public SmsProvider Provider { get; set; } = SmsProvider.None;
    public string Endpoint { get; set; } = "https://dysmsapi.aliyuncs.com/";
    public string? AccessKeyId { get; set; }
    public string? AccessKeySecret { get; set; }
    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>The approved signature (短信签名) shown in 【】 before the text.</summary>
    public string? SignName { get; set; }

    /// <summary>The approved template (e.g. SMS_123456789) whose variable <see cref="CodeParameter"/> carries the zip password.</summary>
    public string? TemplateCode { get; set; }

    public string CodeParameter { get; set; } = "code";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsConfigured => Provider != SmsProvider.None;
}

/// <summary>Names every bad <c>Sms</c> setting at start-up.</summary>
internal sealed class SmsOptionsValidator : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
            failures.Add($"Sms:Provider '{options.Provider}' is not supported; use None or Aliyun.");
        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
            failures.Add($"Sms:Timeout '{options.Timeout}' must be between 00:00:01 and 00:05:00.");
        if (options.Provider == SmsProvider.Aliyun)
        {
            if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                failures.Add($"Sms:Endpoint '{options.Endpoint}' is not an absolute http(s) URL.");
            foreach (var (setting, value) in new[]
                     {
                         ("AccessKeyId", options.AccessKeyId), ("AccessKeySecret", options.AccessKeySecret), ("SignName", options.SignName),
                         ("TemplateCode", options.TemplateCode), ("RegionId", options.RegionId), ("CodeParameter", options.CodeParameter),
                     })
            {
                if (string.IsNullOrWhiteSpace(value)) failures.Add($"Sms:{setting} is required when Sms:Provider is Aliyun.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
