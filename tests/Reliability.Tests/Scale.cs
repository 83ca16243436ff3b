using System.Globalization;

namespace PdsWorkflow.Reliability.Tests;

/// <summary>
/// How hard the suite pushes: <c>PDS_RELIABILITY_SCALE</c> (default 1, the CI run) multiplies the rounds, instances and
/// kills; docs/reliability.md records the last longer run.
/// </summary>
internal static class Scale
{
    public static int Factor { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("PDS_RELIABILITY_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;

    public static int Times(int value) => value * Factor;
}
