using System.Diagnostics;
using System.Diagnostics.Metrics;
using PdsWorkflow.Activities.Interfaces;

namespace PdsWorkflow.Activities;

/// <summary>
/// The platform modules' metrics (the engine's are in <c>WorkflowTelemetry</c>); the Host's <c>AddPdsTelemetry</c>
/// listens when <c>Telemetry:Enabled</c>. Names are listed in docs/observability.md.
/// </summary>
public static class PdsTelemetry
{
    public const string Name = "PdsWorkflow.Activities";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> GatewayCalls = Meter.CreateCounter<long>("pds.gateway.calls", "{call}",
        "Calls through the interface gateway, by interface, HTTP status and refusal (none when forwarded).");

    private static readonly Histogram<double> GatewayDuration = Meter.CreateHistogram<double>("pds.gateway.call.duration", "s",
        "Time the gateway took for a call, the upstream's answer included.");

    internal static void GatewayCall(ApiCall call)
    {
        var tags = new TagList { { "pds.interface.code", call.InterfaceCode }, { "http.response.status_code", call.Status }, { "pds.gateway.refusal", call.Refusal ?? "none" } };
        GatewayCalls.Add(1, tags);
        GatewayDuration.Record(call.LatencyMs / 1000.0, tags);
    }
}
