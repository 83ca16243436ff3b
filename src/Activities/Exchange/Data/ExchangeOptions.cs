using Microsoft.Extensions.Options;

namespace PdsWorkflow.Activities.Exchange.Data;

/// <summary>
/// Bound from the <c>Exchange</c> configuration section. The front-end databases themselves are the accounts module's
/// (<c>FrontEnd:*</c>); these are the data exchange's own settings.
/// </summary>
public sealed class ExchangeOptions
{
    public const string Section = "Exchange";

    /// <summary>Rows per batch: progress is recorded after each.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// The exchange's file service: a mounted folder <c>/gaj/jmsfz</c> (资源挂接) is <c>ProviderRoot/gaj/jmsfz</c>.
    /// </summary>
    public string ProviderRoot { get; set; } = "data/exchange/provider";

    /// <summary>The demand side's receiving folders: <c>ReceivingRoot/&lt;department code&gt;/…</c>.</summary>
    public string ReceivingRoot { get; set; } = "data/exchange/receiving";

    /// <summary>The largest file one exchange copies.</summary>
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The most bytes one file exchange copies in all.</summary>
    public long MaxTotalBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}

/// <summary>Names every bad <c>Exchange</c> setting at start-up.</summary>
internal sealed class ExchangeOptionsValidator : IValidateOptions<ExchangeOptions>
{
    public ValidateOptionsResult Validate(string? name, ExchangeOptions options)
    {
        var failures = new List<string>();
        if (options.BatchSize is < 1 or > 100_000) failures.Add($"Exchange:BatchSize must be between 1 and 100000 (is {options.BatchSize}).");
        if (string.IsNullOrWhiteSpace(options.ProviderRoot)) failures.Add("Exchange:ProviderRoot is empty.");
        if (string.IsNullOrWhiteSpace(options.ReceivingRoot)) failures.Add("Exchange:ReceivingRoot is empty.");
        if (!string.IsNullOrWhiteSpace(options.ProviderRoot) && !string.IsNullOrWhiteSpace(options.ReceivingRoot))
        {
            var provider = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ProviderRoot));
            var receiving = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ReceivingRoot));
            if (IsWithin(provider, receiving) || IsWithin(receiving, provider))
                failures.Add($"Exchange:ProviderRoot ({provider}) and Exchange:ReceivingRoot ({receiving}) must not contain one another.");
        }

        if (options.MaxFileBytes < 1) failures.Add("Exchange:MaxFileBytes must be positive.");
        if (options.MaxTotalBytes < options.MaxFileBytes) failures.Add("Exchange:MaxTotalBytes must be at least Exchange:MaxFileBytes.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsWithin(string folder, string other) =>
        other.Equals(folder, StringComparison.Ordinal) || other.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
