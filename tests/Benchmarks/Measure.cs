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

    /// <summary>
    /// Calls <paramref name="operation"/> over one window of <paramref name="length"/> (or until it returns false: out of
    /// work) after a full collection, and reports what the window cost: operations, time, process CPU (every thread: the
    /// GC's, the driver's, background JIT), bytes allocated by every thread, methods the JIT compiled meanwhile.
    /// </summary>
    public static async Task<Window> WindowAsync(TimeSpan length, Func<int, Task<bool>> operation)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var (cpu, allocated, methods) = (process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true), System.Runtime.JitInfo.GetCompiledMethodCount());
        var done = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < length && await operation(done)) done++;
        var elapsed = watch.Elapsed;
        process.Refresh();
        return new Window(done, elapsed, process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated,
            System.Runtime.JitInfo.GetCompiledMethodCount() - methods);
    }

    /// <summary>
    /// Runs <paramref name="batch"/> until the JIT is quiet: two batches in a row in which it compiled at most
    /// <paramref name="quietMethods"/> methods (tiered compilation promotes hot methods to tier 1 in the background, 100 ms
    /// after tier-0 activity stops, so a batch should last longer than that), or until <paramref name="limit"/>.
    /// </summary>
    public static async Task<WarmUp> UntilJitQuietAsync(Func<Task> batch, TimeSpan limit, int quietMethods = 2)
    {
        var watch = Stopwatch.StartNew();
        var (batches, quiet, last) = (0, 0, 0L);
        while (quiet < 2 && watch.Elapsed < limit)
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await batch();
            batches++;
            last = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
            quiet = last <= quietMethods ? quiet + 1 : 0;
        }

        return new WarmUp(batches, watch.Elapsed, quiet >= 2, last);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Format(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal sealed record Latency(double P50, double P95);

/// <summary>What one measured window cost.</summary>
internal sealed record Window(int Operations, TimeSpan Elapsed, TimeSpan Cpu, long Allocated, long JitMethods)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
    public double CpuMilliseconds => Cpu.TotalMilliseconds / Math.Max(1, Operations);
    public double AllocatedKilobytes => Allocated / 1024d / Math.Max(1, Operations);
}

/// <summary>How long warming up took, and whether the JIT went quiet (else the limit ended it); the methods compiled in the last batch.</summary>
internal sealed record WarmUp(int Batches, TimeSpan Elapsed, bool Quiet, long LastBatchMethods);
