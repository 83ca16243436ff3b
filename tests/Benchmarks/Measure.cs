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

        results.Sort();
        return results[results.Count / 2];
    }

    public static string Format(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);
}
