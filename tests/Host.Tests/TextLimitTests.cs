using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PdsWorkflow.Host.Api;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The length limits of the API's free text (issue #9, <see cref="TextLimits"/>): a text at its limit is accepted and
/// stored, one character more is refused with a 400 naming the field in Chinese, and nothing is written. Lengths count
/// code points: a CJK extension B character (two UTF-16 units) counts once.
/// </summary>
public sealed class TextLimitTests
{
    private const string Wide = "𠮷";

    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;
    private RowCounter _rows = null!;
    private Guid _case;
    private Guid _task;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new HostFactory(seedDemo: true);
        _sessions = new ApiSessions(_factory);
        _rows = new RowCounter(_factory.Services);
        (_case, _task) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task A_comment_at_the_limit_is_kept_and_one_more_character_is_refused_in_Chinese()
    {
        var approver = await _sessions.AsAsync("gaj.approver");
        // Characters outside the BMP count once (two UTF-16 units each): the whole comment is kept, none split.
        var atLimit = string.Concat(Enumerable.Repeat(Wide, TextLimits.Comment / 2)) + new string('长', TextLimits.Comment / 2);

        var accepted = await approver.PostAsJsonAsync(Url($"/api/tasks/{_task}/comment"), new { comment = atLimit });
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        var history = (await (await approver.GetAsync(Url($"/api/applications/{_case}"))).JsonAsync())["history"]!.AsArray();
        Assert.That(history.Select(h => h!["comment"]?.GetValue<string>()), Does.Contain(atLimit));

        await AssertRefusedAsync(approver, HttpMethod.Post, $"/api/tasks/{_task}/comment", new JsonObject { ["comment"] = atLimit + Wide }, "comment",
            $"意见不能超过 {TextLimits.Comment} 个字（当前 {TextLimits.Comment + 1} 个）。");
    }

    [TestCase("approve", "comment", "审批意见")]
    [TestCase("reject", "reason", "不同意的理由")]
    [TestCase("extension", "reason", "延期理由")]
    public async Task A_task_action_with_too_long_text_is_refused_before_it_acts(string action, string field, string label)
    {
        var approver = await _sessions.AsAsync("gaj.approver");
        var body = new JsonObject { [field] = new string('长', TextLimits.Comment + 1) };
        if (action == "extension") body["workingDays"] = 3;

        await AssertRefusedAsync(approver, HttpMethod.Post, $"/api/tasks/{_task}/{action}", body, field, $"{label}不能超过 {TextLimits.Comment} 个字");
        var task = await (await approver.GetAsync(Url($"/api/tasks/{_task}"))).JsonAsync();
        Assert.That(task["task"]!["status"]!.GetValue<string>(), Is.EqualTo("Open"), "the task was not acted on");
    }

    [Test]
    public async Task A_users_name_and_title_are_limited_and_kept_at_the_limit()
    {
        var admin = await _sessions.AsAsync("bureau.admin");
        var name = string.Concat(Enumerable.Repeat(Wide, TextLimits.PersonName));
        var title = string.Concat(Enumerable.Repeat(Wide, TextLimits.JobTitle));
        JsonObject User(string id, string displayName, string jobTitle) => new()
        {
            ["id"] = id, ["displayName"] = displayName, ["orgUnitId"] = "swj", ["password"] = "Limits2026pass", ["title"] = jobTitle, ["roles"] = new JsonArray(),
        };

        var created = await admin.PostAsync(Url("/api/admin/users"), JsonContent.Create(User("limits.user", name, title)));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var user = await created.JsonAsync();
        Assert.That((user["displayName"]!.GetValue<string>(), user["title"]!.GetValue<string>()), Is.EqualTo((name, title)));

        await AssertRefusedAsync(admin, HttpMethod.Post, "/api/admin/users", User("limits.user2", name + "长", title), "displayName",
            $"姓名不能超过 {TextLimits.PersonName} 个字", "validation_failed");
        await AssertRefusedAsync(admin, HttpMethod.Put, "/api/admin/users/limits.user", new JsonObject
        {
            ["displayName"] = "新名字", ["orgUnitId"] = "swj", ["title"] = title + "长",
        }, "title", $"职务不能超过 {TextLimits.JobTitle} 个字", "validation_failed");
        var kept = await (await admin.GetAsync(Url("/api/admin/users/limits.user"))).JsonAsync();
        Assert.That(kept["displayName"]!.GetValue<string>(), Is.EqualTo(name), "the refused update wrote nothing");
    }

    [Test]
    public async Task A_units_name_is_limited()
    {
        var admin = await _sessions.AsAsync("bureau.admin");
        var body = new JsonObject { ["id"] = "limits-unit", ["name"] = new string('局', TextLimits.UnitName + 1), ["kind"] = "MunicipalDepartment", ["regionCode"] = "410400" };

        await AssertRefusedAsync(admin, HttpMethod.Post, "/api/admin/units", body, "name", $"单位名称不能超过 {TextLimits.UnitName} 个字", "validation_failed");
        body["name"] = new string('局', TextLimits.UnitName);
        var created = await admin.PostAsync(Url("/api/admin/units"), JsonContent.Create(body));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_designer_definition_with_a_too_long_name_is_refused()
    {
        var designer = await _sessions.AsAsync("bureau.workflow");
        var exported = await (await designer.GetAsync(Url("/api/designer/definitions/subscription/export"))).Content.ReadAsStringAsync();
        var definition = JsonNode.Parse(exported)!.AsObject();
        definition["name"] = new string('流', TextLimits.DefinitionName + 1);

        await AssertRefusedAsync(designer, HttpMethod.Put, "/api/designer/definitions/subscription/draft", definition, "name",
            $"流程名称不能超过 {TextLimits.DefinitionName} 个字");
    }

    [Test]
    public async Task The_inbox_search_is_limited()
    {
        var approver = await _sessions.AsAsync("gaj.approver");
        var response = await approver.GetAsync(Url($"/api/tasks/todo?search={new string('查', TextLimits.Search + 1)}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.JsonAsync())["errors"]!["search"]![0]!.GetValue<string>(), Does.StartWith($"搜索内容不能超过 {TextLimits.Search} 个字"));
    }

    /// <summary>A 400 problem with the code and the zh-CN message for the field, and no row written.</summary>
    private async Task AssertRefusedAsync(HttpClient client, HttpMethod method, string path, JsonObject body, string field, string message,
        string code = "text_too_long")
    {
        var before = await _rows.CountAsync();
        using var request = new HttpRequestMessage(method, Url(path)) { Content = JsonContent.Create(body) };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(text)!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo(code));
            Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("请求参数有误"));
            Assert.That(problem["errors"]![field]![0]!.GetValue<string>(), Does.StartWith(message));
            Assert.That(RowCounter.Diff(before, await _rows.CountAsync()), Is.Empty, "nothing written");
        }
    }
}
