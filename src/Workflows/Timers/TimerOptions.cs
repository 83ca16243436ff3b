using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Timers;

/// <summary>
/// Bound from the <c>Timers</c> configuration section. The job store is not a setting: it is always the product's own
/// database (<c>Database:Provider</c> and <c>Database:ConnectionString</c>), clustered on PostgreSQL.
/// </summary>
public sealed class TimerOptions
{
    public const string Section = "Timers";

    /// <summary>Quartz resumes due bookmarks; when false the engine's own poller does, and no Quartz table is touched.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the sweep job resumes due bookmarks that have no trigger (created before Quartz ran, or lost in a crash).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long past its due time a bookmark is left to its own trigger before the sweep takes it. A trigger fires at
    /// the due time (or at start-up when it was missed), so the sweep only needs the ones that have none; without the
    /// grace the two race for a bookmark that falls due just as a node starts (the loser's attempt is a logged no-op).
    /// </summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The Quartz scheduler name. Every node of one cluster uses the same name; the nodes' instance ids are generated.</summary>
    public string InstanceName { get; set; } = "PdsWorkflow";

    /// <summary>How many timer jobs one node runs at once.</summary>
    public int ThreadCount { get; set; } = 4;
}

/// <summary>Names every bad <c>Timers</c> setting at start-up, and a job store that does not match the engine's database.</summary>
internal sealed class TimerOptionsValidator(TimerJobStore jobStore, IOptions<WorkflowDatabaseOptions> database) : IValidateOptions<TimerOptions>
{
    // Quartz keeps the scheduler name in SCHED_NAME, VARCHAR(120) in its own schema scripts.
    private const int MaxInstanceNameLength = 120;

    public ValidateOptionsResult Validate(string? name, TimerOptions options)
    {
        var failures = new List<string>();
        if (options.SweepInterval < TimeSpan.FromSeconds(1) || options.SweepInterval > TimeSpan.FromDays(1))
            failures.Add($"Timers:SweepInterval '{options.SweepInterval}' must be between 00:00:01 and 1.00:00:00.");
        if (options.SweepGrace < TimeSpan.Zero || options.SweepGrace > TimeSpan.FromDays(1))
            failures.Add($"Timers:SweepGrace '{options.SweepGrace}' must be between 00:00:00 and 1.00:00:00.");
        if (string.IsNullOrWhiteSpace(options.InstanceName))
            failures.Add("Timers:InstanceName is empty.");
        else if (options.InstanceName.Length > MaxInstanceNameLength)
            failures.Add($"Timers:InstanceName is {options.InstanceName.Length} characters long; at most {MaxInstanceNameLength} are allowed.");
        if (options.ThreadCount is < 1 or > 100)
            failures.Add($"Timers:ThreadCount '{options.ThreadCount}' must be between 1 and 100.");
        if (jobStore.Provider != database.Value.Provider)
            failures.Add($"Timers: the Quartz job store was registered for {jobStore.Provider} (Database:Provider in configuration) " +
                         $"but the engine's database is {database.Value.Provider}; set Database:Provider in configuration rather than in code.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The database provider the Quartz job store was registered for; Quartz picks its SQL dialect when it is registered.</summary>
internal sealed record TimerJobStore(DatabaseProvider Provider);
