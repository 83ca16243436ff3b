using System.Diagnostics;
using System.Globalization;

namespace PdsWorkflow.Benchmarks;

/// <summary>Runs an operation for a fixed time after a warm-up and reports operations per second (the median of five rounds).</summary>
internal static class Measure
{
    public static double OperationsPerSecond(Action<int> operation, TimeSpan round, int rounds = 5)
    {
        for (var i = 0; i < 10_000; i++) operation(i);
        var results = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var count = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < round)
            {
                for (var i = 0; i < 1_000; i++) operation(count++);
            }

            results.Add(count / watch.Elapsed.TotalSeconds);
        }

        return Median(results);
    }

    /// <summary>The asynchronous form for operations of a millisecond or more: <paramref name="warmUp"/> calls, then the median of the rounds.</summary>
    public static async Task<double> OperationsPerSecondAsync(Func<int, Task> operation, TimeSpan round, int warmUp, int rounds = 3)
    {
        var count = 0;
        for (; count < warmUp; count++) await operation(count);
        var results = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var done = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < round)
            {
                await operation(count++);
                done++;
            }

            results.Add(done / watch.Elapsed.TotalSeconds);
        }

        return Median(results);
    }

    /// <summary>Calls <paramref name="operation"/> once per item in order and returns the rate over the whole run.</summary>
    public static async Task<double> RateAsync<T>(IReadOnlyList<T> items, Func<T, Task> operation)
    {
        var watch = Stopwatch.StartNew();
        foreach (var item in items) await operation(item);
        return items.Count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The latency of each call, in milliseconds.</summary>
    public static async Task<Latency> LatencyAsync(int warmUp, int samples, Func<int, Task> operation)
    {
        for (var i = 0; i < warmUp; i++) await operation(i);
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation(warmUp + i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return new Latency(Percentile(times, 0.50), Percentile(times, 0.95));
    }

    public static string Format(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal sealed record Latency(double P50, double P95);
