using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// GET /api/statistics/cases over HTTP with the demo's cases (the figures themselves are counted by hand in the engine's
/// CaseStatisticsTests): the bureau's roles read it as JSON, CSV and xlsx, each file export is in the security log, a
/// department user is refused, a bad period is a field error.
/// </summary>
public sealed class CaseStatisticsApiTests
{
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new HostFactory(seedDemo: true);
        _sessions = new ApiSessions(_factory);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task The_bureau_reads_the_cases_of_a_period_as_json_csv_and_xlsx_and_a_department_is_refused()
    {
        var today = TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int submitted;
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            submitted = await db.Instances.CountAsync(i => i.ParentInstanceId == null && i.SubmittedAt != null);
        Assert.That(submitted, Is.GreaterThan(0), "the demo's applications were submitted when seeded");

        var bureau = await _sessions.AsAsync("bureau.data");
        var report = await bureau.GetFromJsonAsync<JsonObject>(Url($"/api/statistics/cases?from={today}&to={today}"));
        Assert.That(report!["totals"]!["received"]!.GetValue<int>(), Is.EqualTo(submitted));
        Assert.That(report["byProcess"]!.AsArray().Sum(p => p!["figures"]!["received"]!.GetValue<int>()), Is.EqualTo(submitted));
        Assert.That(report["byProcess"]!.AsArray().Select(p => p!["processName"]!.GetValue<string>()), Does.Contain("库表与文件订阅（同级及跨层级）"));
        Assert.That((report["trendUnit"]!.GetValue<string>(), report["trend"]!.AsArray().Count), Is.EqualTo(("day", 1)));

        var csv = await bureau.GetAsync(Url($"/api/statistics/cases?from={today}&to={today}&format=csv"));
        Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(await csv.Content.ReadAsStringAsync(), Does.Contain("分类,名称,收件数,办结数,按时办结数,按时办结率").And.Contain($"合计,{today} 至 {today},{submitted},"));
        var xlsx = await bureau.GetAsync(Url($"/api/statistics/cases?from={today}&to={today}&format=xlsx"));
        Assert.That(xlsx.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            Assert.That(await db.SecurityLog.CountAsync(e => e.Object == "export:statistics" && e.Actor == "bureau.data"), Is.EqualTo(2), "each file export is logged");

        var badPeriod = await bureau.GetAsync(Url($"/api/statistics/cases?from={today}&to=2020-01-01"));
        Assert.That(badPeriod.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await badPeriod.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["to"], Is.Not.Null);
        var department = await _sessions.AsAsync("gaj.contact");
        Assert.That((await department.GetAsync(Url($"/api/statistics/cases?from={today}&to={today}"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
