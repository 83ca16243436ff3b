using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PdsWorkflow.Activities;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Telemetry;

namespace PdsWorkflow.Host.Telemetry;

/// <summary>Bound from the <c>Telemetry</c> section: OpenTelemetry traces and metrics, off by default (docs/observability.md).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public bool Enabled { get; set; }
    public string ServiceName { get; set; } = "pdsworkflow";

    /// <summary>An OTLP collector (e.g. <c>http://127.0.0.1:4317</c> for gRPC, <c>http://127.0.0.1:4318</c> for HTTP); unset: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Also write every span and, each <see cref="ConsoleMetricInterval"/>, the metrics to standard output (to look at them locally).</summary>
    public bool Console { get; set; }

    public TimeSpan ConsoleMetricInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The share of traces kept (a trace whose caller sampled it is always kept).</summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}

/// <summary>Names every bad <c>Telemetry</c> setting at start-up.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceName)) failures.Add("Telemetry:ServiceName must not be empty.");
        if (options.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
            failures.Add($"Telemetry:OtlpEndpoint '{endpoint}' must be an absolute http:// or https:// address.");
        if (!Enum.IsDefined(options.OtlpProtocol)) failures.Add($"Telemetry:OtlpProtocol '{options.OtlpProtocol}' must be Grpc or HttpProtobuf.");
        if (options.TraceSampleRatio is < 0 or > 1 || double.IsNaN(options.TraceSampleRatio))
            failures.Add($"Telemetry:TraceSampleRatio '{options.TraceSampleRatio}' must be between 0 and 1.");
        if (options.ConsoleMetricInterval < TimeSpan.FromSeconds(1)) failures.Add($"Telemetry:ConsoleMetricInterval '{options.ConsoleMetricInterval}' must be at least one second.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class TelemetryRegistration
{
    /// <summary>
    /// Traces of HTTP requests (in and out: the gateway's upstream calls too), engine bursts and outbox deliveries, and
    /// database commands (Npgsql's own instrumentation on PostgreSQL, EF Core's diagnostics on SQLite); metrics of the
    /// engine and modules, ASP.NET Core, HttpClient, the runtime and Npgsql. Nothing is registered while
    /// <c>Telemetry:Enabled</c> is false: the engine's sources then have no listener and cost nothing.
    /// </summary>
    public static IHostApplicationBuilder AddPdsTelemetry(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        builder.Services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        var settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!settings.Enabled) return builder;

        // The driver's own instrumentation where it has one (Npgsql), else EF Core's; a bad provider is the validator's to report.
        var driver = Enum.TryParse<DatabaseProvider>(builder.Configuration[$"{WorkflowDatabaseOptions.Section}:{nameof(WorkflowDatabaseOptions.Provider)}"], true, out var provider)
            ? DatabaseDialect.Find(provider)?.DriverTelemetryName
            : null;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio)))
                    .AddSource(WorkflowTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation();
                if (driver is not null) tracing.AddSource(driver);
                else tracing.AddEntityFrameworkCoreInstrumentation();
                if (settings.OtlpEndpoint is { } endpoint) tracing.AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (Signal(endpoint, settings.OtlpProtocol, "traces"), settings.OtlpProtocol));
                if (settings.Console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkflowTelemetry.Name, PdsTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (driver is not null) metrics.AddMeter(driver);
                if (settings.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (Signal(endpoint, settings.OtlpProtocol, "metrics"), settings.OtlpProtocol));
                if (settings.Console)
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.ConsoleMetricInterval.TotalMilliseconds);
            });
        return builder;
    }

    /// <summary>OTLP over HTTP posts each signal to its own path (<c>/v1/traces</c>, <c>/v1/metrics</c>); gRPC takes the address as it is.</summary>
    private static Uri Signal(Uri endpoint, OtlpExportProtocol protocol, string signal) =>
        protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, $"{endpoint.AbsolutePath.TrimEnd('/')}/v1/{signal}") : endpoint;
}
