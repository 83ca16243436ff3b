namespace PdsWorkflow.Tests.Support;

/// <summary>
/// A clock the test moves by hand, forwards or back: a fixture shares one clock between its tests, each of which sets
/// the date it needs (FakeTimeProvider refuses to go back). It has no timers of its own; a test of something driven by
/// a timer (a hosted poller) gives that service a FakeTimeProvider and advances it.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private DateTimeOffset _now = start;

    public ManualClock() : this(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => Shanghai;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}
