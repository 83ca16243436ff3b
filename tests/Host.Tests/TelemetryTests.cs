using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PdsWorkflow.Host.Telemetry;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// With <c>Telemetry:Enabled</c>, what docs/observability.md names is produced: the in-memory exporter stands in for a
/// collector. One approval over HTTP is a request, a resume with its burst and a task completion.
/// </summary>
public sealed class TelemetryTests
{
    [Test]
    public async Task An_approval_over_http_produces_the_documented_spans_and_metrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var host = new HostFactory(seedDemo: true);
        await using var factory = host.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Telemetry:Enabled", "true");
            builder.ConfigureServices(services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));
        });
        using var approver = factory.CreateClient();
        await approver.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "gaj.approver", password = ApiSessions.Password });
        var csrf = await approver.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Url("/api/auth/csrf"));
        approver.DefaultRequestHeaders.Add(Auth.AuthRegistration.CsrfHeader, csrf!["token"]!.GetValue<string>());
        var (caseId, taskId) = await new ApiSessions(host).DemoCaseAsync("DEMO-SUB-001");
        // The demo seeding completed tasks of its own: count from here.
        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var completedBefore = Sum(metrics, "pds.tasks.completed", ("pds.definition.id", "subscription"), ("pds.task.outcome", "Approve"));
        metrics.Clear();

        var approved = await approver.PostAsJsonAsync(Url($"/api/tasks/{taskId}/approve"), new { comment = "同意共享" });

        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approved.Content.ReadAsStringAsync());
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var request = spans.SingleOrDefault(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("http.route") == "/api/tasks/{id:guid}/approve");
        var burst = spans.FirstOrDefault(s => s.OperationName == "workflow.burst" && (string?)s.GetTagItem("pds.instance.id") == caseId.ToString());
        var resume = spans.FirstOrDefault(s => s.OperationName == "workflow.resume");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request, Is.Not.Null, "the HTTP request: " + string.Join(", ", spans.Select(s => s.DisplayName)));
            Assert.That(burst, Is.Not.Null, "the burst of the approved case");
            Assert.That(burst?.GetTagItem("pds.definition.id"), Is.EqualTo("subscription"));
            Assert.That(burst?.TraceId, Is.EqualTo(request?.TraceId), "the burst belongs to the request's trace");
            Assert.That(resume?.TraceId, Is.EqualTo(request?.TraceId));
            Assert.That(spans.Where(s => s.TraceId == request?.TraceId && s.Kind == ActivityKind.Client && s.GetTagItem("db.system") is not null
                                         || s.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal)), Is.Not.Empty, "database commands");
            Assert.That(Sum(metrics, "pds.workflow.bursts", ("pds.definition.id", "subscription")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Sum(metrics, "pds.tasks.completed", ("pds.definition.id", "subscription"), ("pds.task.outcome", "Approve")) - completedBefore, Is.EqualTo(1));
            Assert.That(metrics.Select(m => m.Name), Does.Contain("pds.workflow.burst.duration").And.Contain("http.server.request.duration"));
        }
    }

    [Test]
    public void Bad_telemetry_settings_are_each_named()
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions
        {
            Enabled = true, ServiceName = " ", OtlpEndpoint = new Uri("collector:4317", UriKind.RelativeOrAbsolute), TraceSampleRatio = 2,
        });

        Assert.That(result.Failures, Has.Some.StartsWith("Telemetry:ServiceName").And.Some.StartsWith("Telemetry:OtlpEndpoint")
            .And.Some.StartsWith("Telemetry:TraceSampleRatio '2'"));
    }

    private static long Sum(IEnumerable<Metric> metrics, string name, params (string Key, string Value)[] tags)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(v, t.Value))) total += point.GetSumLong();
            }
        }

        return total;
    }
}
