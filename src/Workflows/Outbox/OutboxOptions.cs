using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Outbox;

/// <summary>Bound from the <c>Outbox</c> configuration section.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often a node looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages one node delivers in a row before it waits for the next tick.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Delivery attempts before a message becomes a dead letter.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failure; it doubles after each further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(60);

    internal TimeSpan RetryDelayAfter(int attempts)
    {
        var doubled = FirstRetryDelay.Ticks * (1L << Math.Clamp(attempts - 1, 0, 30));
        return doubled <= 0 || doubled > MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks(doubled);
    }
}

/// <summary>Names every bad <c>Outbox</c> setting at start-up.</summary>
internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
            failures.Add($"Outbox:PollInterval '{options.PollInterval}' must be between 00:00:00.1 and 01:00:00.");
        if (options.BatchSize is < 1 or > 1000)
            failures.Add($"Outbox:BatchSize '{options.BatchSize}' must be between 1 and 1000.");
        if (options.MaxAttempts is < 1 or > 100)
            failures.Add($"Outbox:MaxAttempts '{options.MaxAttempts}' must be between 1 and 100.");
        if (options.FirstRetryDelay <= TimeSpan.Zero)
            failures.Add($"Outbox:FirstRetryDelay '{options.FirstRetryDelay}' must be positive.");
        if (options.MaxRetryDelay < options.FirstRetryDelay)
            failures.Add($"Outbox:MaxRetryDelay '{options.MaxRetryDelay}' must not be shorter than Outbox:FirstRetryDelay '{options.FirstRetryDelay}'.");
        if (options.HandlerTimeout < TimeSpan.FromSeconds(1) || options.HandlerTimeout > TimeSpan.FromMinutes(30))
            failures.Add($"Outbox:HandlerTimeout '{options.HandlerTimeout}' must be between 00:00:01 and 00:30:00.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
