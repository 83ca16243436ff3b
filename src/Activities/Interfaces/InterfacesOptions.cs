using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Timers;

namespace PdsWorkflow.Activities.Interfaces;

/// <summary>Settings of the interfaces module (section <c>Interfaces</c>).</summary>
public sealed class InterfacesOptions
{
    public const string Section = "Interfaces";

    /// <summary>Remind the consumer when the term ends within this many working days.</summary>
    public int ReminderWorkingDays { get; set; } = 10;

    /// <summary>Unused this many months (and not seasonal): ask the provider whether to revoke (001 第十九条: three months).</summary>
    public int UnusedMonths { get; set; } = 3;

    /// <summary>The daily sweep's Quartz cron expression, Beijing time.</summary>
    public string SweepCron { get; set; } = "0 30 1 * * ?";

    /// <summary>How long the gateway waits for the upstream's response headers.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(100);
}

internal sealed class InterfacesOptionsValidator : IValidateOptions<InterfacesOptions>
{
    public ValidateOptionsResult Validate(string? name, InterfacesOptions options)
    {
        var failures = new List<string>();
        if (options.ReminderWorkingDays is < 1 or > 60) failures.Add($"Interfaces:ReminderWorkingDays must be 1–60 (is {options.ReminderWorkingDays}).");
        if (options.UnusedMonths is < 1 or > 36) failures.Add($"Interfaces:UnusedMonths must be 1–36 (is {options.UnusedMonths}).");
        if (!CronJobs.IsCron(options.SweepCron)) failures.Add($"Interfaces:SweepCron '{options.SweepCron}' is not a Quartz cron expression.");
        if (options.UpstreamTimeout <= TimeSpan.Zero) failures.Add("Interfaces:UpstreamTimeout must be positive.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
