namespace PdsWorkflow.Workflows.Activities;

/// <summary>Attempts include the first execution; the back-off doubles after each failed attempt.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialBackoff)
{
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero);

    public bool CanRetryAfter(int attempt) => attempt < MaxAttempts;

    public TimeSpan BackoffAfter(int attempt) =>
        TimeSpan.FromTicks(InitialBackoff.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20)));
}
