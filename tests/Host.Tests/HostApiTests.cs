using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Timers;
using Quartz;

namespace PdsWorkflow.Host.Tests;

public sealed class HostApiTests
{
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new HostFactory(seedDemo: true);
        _sessions = new ApiSessions(_factory);
        // Every read but the health probes is for signed-in users (docs/security.md).
        _client = await _sessions.AsAsync("gaj.contact");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task Health_ready_reports_the_database_reachable()
    {
        var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Calendar_deadline_answers_over_http()
    {
        var deadline = await _client.GetFromJsonAsync<JsonObject>(new Uri("/api/calendar/deadline?from=2026-02-13T10:00:00%2B08:00&days=5", UriKind.Relative));
        Assert.That(deadline!["deadline"]!.GetValue<string>(), Is.EqualTo("2026-02-27T23:59:59+08:00"));
        Assert.That(deadline["provisional"]!.GetValue<bool>(), Is.False);
        Assert.That(deadline["explanation"]!.GetValue<string>(), Does.Contain("跳过春节 2026-02-15 至 2026-02-23"));
    }

    [Test]
    public async Task Calendar_year_lists_every_day_with_its_reason()
    {
        var days = await _client.GetFromJsonAsync<JsonArray>(new Uri("/api/calendar/years/2026", UriKind.Relative));
        Assert.That(days, Has.Count.EqualTo(365));
        var makeup = days!.Single(d => d!["date"]!.GetValue<string>() == "2026-02-14")!;
        Assert.That((makeup["working"]!.GetValue<bool>(), makeup["reason"]!.GetValue<string>()), Is.EqualTo((true, "调休上班（春节）")));
    }

    [TestCase("/api/calendar/deadline?from=yesterday&days=5", "invalid_instant", "from")]
    [TestCase("/api/calendar/deadline?from=2026-02-13T10:00:00%2B08:00&days=-1", "invalid_working_days", "days")]
    [TestCase("/api/calendar/years/1999", "year_not_supported", "year")]
    public async Task Bad_calendar_input_is_a_problem_with_a_field_error(string url, string code, string field)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo(code));
        Assert.That(problem["errors"]![field], Is.Not.Null);
    }

    [Test]
    public async Task An_instance_is_not_shown_without_signing_in()
    {
        using var anonymous = _factory.CreateClient();
        var response = await anonymous.GetAsync(new Uri($"/api/instances/{Guid.NewGuid()}", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo("not_signed_in"));
    }

    [Test]
    public async Task Activity_descriptors_are_served_for_the_designer()
    {
        var descriptors = await _client.GetFromJsonAsync<JsonArray>(new Uri("/api/activity-descriptors", UriKind.Relative));
        var decision = descriptors!.Single(d => d!["type"]!.GetValue<string>() == "Decision")!;
        Assert.That(decision["displayName"]!.GetValue<string>(), Is.EqualTo("条件判断"));
        Assert.That(decision["inputs"]![0]!["required"]!.GetValue<bool>(), Is.True);
        Assert.That(decision["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()), Is.EqualTo(new[] { "True", "False" }));
    }

    [Test]
    public void The_web_host_runs_the_outbox_dispatcher()
    {
        Assert.That(_factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), Has.Some.TypeOf<Workflows.Outbox.OutboxDispatcherService>());
    }

    [Test]
    public async Task The_web_host_runs_the_timer_scheduler()
    {
        var scheduler = await _factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        for (var waited = 0; scheduler.Status != SchedulerStatus.Running && waited < 300; waited++) await Task.Delay(100);

        Assert.That(scheduler.Status, Is.EqualTo(SchedulerStatus.Running));
        Assert.That(_factory.Services.GetRequiredService<IBookmarkScheduler>(), Is.TypeOf<QuartzBookmarkScheduler>());
    }
}
