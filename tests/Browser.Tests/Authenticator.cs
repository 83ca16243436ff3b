using OtpNet;

namespace PdsWorkflow.Browser.Tests;

/// <summary>An authenticator app for the browser tests: the code of the current 30-second step, never one already used (the Host refuses a replay).</summary>
public sealed class Authenticator(string base32Secret)
{
    private readonly Totp _totp = new(Base32Encoding.ToBytes(base32Secret));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastStep = -1;

    public async Task<string> NextCodeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            // The Host accepts the next step too (clock drift); past that, wait for the clock to reach it.
            while (Step() + 1 <= _lastStep) await Task.Delay(TimeSpan.FromSeconds(1));
            var step = Math.Max(Step(), _lastStep + 1);
            _lastStep = step;
            return _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static long Step() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 30;
}
