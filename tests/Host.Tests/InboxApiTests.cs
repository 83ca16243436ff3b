using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The API behind the clerks' and approvers' pages (issue #18): the people picker and its rule, common phrases, the
/// units for filters, the inbox's labels, search and sort, the tracking view's 业务编号, summary and progress.
/// </summary>
public sealed class InboxApiTests
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
    public async Task The_picker_lists_only_allowed_people_to_the_holder_and_the_server_refuses_anyone_else()
    {
        var (instance, task) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
        var approver = await _sessions.AsAsync("gaj.approver");

        var transfer = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{task}/assignable-users?action=transfer&pageSize=100"));
        var people = transfer!["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Assert.That(people, Is.EquivalentTo(new[] { "gaj.admin", "gaj.cataloger", "gaj.contact" }), "市公安局's people, not the holder");
        var contact = transfer["items"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "gaj.contact")!;
        Assert.That((contact["displayName"]!.GetValue<string>(), contact["orgUnitName"]!.GetValue<string>()), Is.EqualTo(("白超", "平顶山市公安局")));
        Assert.That(contact["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "数据共享责任人" }));

        var copy = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{task}/assignable-users?action=cc&pageSize=100"));
        Assert.That(copy!["units"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "平顶山市公安局", "叶县卫生健康委员会", "平顶山市政务服务和大数据管理局" }));
        var byRole = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{task}/assignable-users?action=cc&search={Uri.EscapeDataString("平台管理员")}"));
        Assert.That(byRole!["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "bureau.admin" }));

        var badAction = await approver.GetAsync(Url($"/api/tasks/{task}/assignable-users?action=anyone"));
        Assert.That(badAction.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await badAction.JsonAsync())["errors"]!["action"], Is.Not.Null);
        var colleague = await (await _sessions.AsAsync("gaj.contact")).GetAsync(Url($"/api/tasks/{task}/assignable-users?action=transfer"));
        Assert.That((colleague.StatusCode, (await colleague.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Forbidden, "not_task_holder")));
        var outsider = await (await _sessions.AsAsync("rsj.approver")).GetAsync(Url($"/api/tasks/{task}/assignable-users?action=transfer"));
        Assert.That(outsider.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var refused = await approver.PostAsJsonAsync(Url($"/api/tasks/{task}/transfer"), new { toUser = "rsj.approver", comment = "请人社局办理" });
        var problem = await refused.JsonAsync();
        Assert.That((refused.StatusCode, problem["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "user_not_assignable")));
        Assert.That(problem["errors"]!["toUser"]![0]!.GetValue<string>(), Does.Contain("平顶山市公安局").And.Contain("曹悦红"));
        var cc = await approver.PostAsJsonAsync(Url($"/api/tasks/{task}/cc"), new { users = new[] { "rsj.approver" } });
        var ccProblem = await cc.JsonAsync();
        Assert.That((cc.StatusCode, ccProblem["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "user_not_assignable")));
        Assert.That(ccProblem["errors"]!["users"], Is.Not.Null);
        var detail = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/applications/{instance}"));
        Assert.That(detail!["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()), Does.Not.Contain("transfer").And.Not.Contain("copy"));
    }

    [Test]
    public async Task A_refusal_names_people_by_their_names()
    {
        var (_, task) = await _sessions.DemoCaseAsync("DEMO-OBJ-001");
        var provider = await _sessions.AsAsync("scjgj.approver");
        var first = await provider.PostAsJsonAsync(Url($"/api/tasks/{task}/reject"), new { reason = "所反映数据经核实无误。" });
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        var again = await provider.PostAsJsonAsync(Url($"/api/tasks/{task}/reject"), new { reason = "再次办理" });
        var problem = await again.JsonAsync();
        Assert.That((again.StatusCode, problem["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Conflict, "task_not_open")));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("范悦").And.Not.Contain("scjgj.approver"));
    }

    [Test]
    public async Task Common_phrases_default_then_are_the_users_own_and_are_checked()
    {
        var user = await _sessions.AsAsync("rsj.approver");
        var defaults = await user.GetFromJsonAsync<JsonObject>(Url("/api/me/phrases"));
        Assert.That(defaults!["phrases"]!.AsArray(), Is.Not.Empty);
        Assert.That(defaults["phrases"]!.ToJsonString(), Is.EqualTo(defaults["defaults"]!.ToJsonString()));

        var saved = await user.PutAsJsonAsync(Url("/api/me/phrases"), new { phrases = new[] { " 同意，按期交换。 ", "", "同意，按期交换。", "请补正材料。" } });
        Assert.That((await saved.JsonAsync())["phrases"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "同意，按期交换。", "请补正材料。" }));
        Assert.That((await user.GetFromJsonAsync<JsonObject>(Url("/api/me/phrases")))!["phrases"]!.AsArray().Count, Is.EqualTo(2));
        var other = await (await _sessions.AsAsync("gaj.approver")).GetFromJsonAsync<JsonObject>(Url("/api/me/phrases"));
        Assert.That(other!["phrases"]!.ToJsonString(), Is.EqualTo(defaults["defaults"]!.ToJsonString()), "a user's phrases are their own");

        var tooMany = await user.PutAsJsonAsync(Url("/api/me/phrases"), new { phrases = Enumerable.Range(1, 31).Select(i => $"常用语{i}").ToArray() });
        Assert.That((tooMany.StatusCode, (await tooMany.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_phrases")));
        var tooLong = await user.PutAsJsonAsync(Url("/api/me/phrases"), new { phrases = new[] { new string('长', 201) } });
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await user.GetFromJsonAsync<JsonObject>(Url("/api/me/phrases")))!["phrases"]!.AsArray().Count, Is.EqualTo(2), "a refused list changes nothing");
        var reset = await user.PutAsJsonAsync(Url("/api/me/phrases"), new { phrases = Array.Empty<string>() });
        Assert.That((await reset.JsonAsync())["phrases"]!.ToJsonString(), Is.EqualTo(defaults["defaults"]!.ToJsonString()));
    }

    [Test]
    public async Task The_inbox_rows_and_the_tracking_view_tell_the_case_apart_in_names()
    {
        var (instance, task) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
        var approver = await _sessions.AsAsync("gaj.approver");
        var todo = await approver.GetFromJsonAsync<JsonObject>(Url("/api/tasks/todo?sort=-dueAt"));
        var row = todo!["items"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == task)!;
        var number = row["businessNumber"]!.GetValue<string>();
        Assert.That(number, Does.Match(@"^订阅-\d{4}-\d{6}$"));
        Assert.That(row["applicantOrgUnitName"]!.GetValue<string>(), Is.EqualTo("叶县卫生健康委员会"));
        Assert.That(row["summary"]!.GetValue<string>(), Is.EqualTo("库表 · 居民身份证信息 · 平顶山市公安局"));
        Assert.That(row["isDraft"]!.GetValue<bool>(), Is.False);

        foreach (var text in new[] { number, "叶县卫生", "居民身份证" })
        {
            var found = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/todo?search={Uri.EscapeDataString(text)}"));
            Assert.That(found!["items"]!.AsArray().Select(t => t!["id"]!.GetValue<Guid>()), Does.Contain(task), text);
        }

        var byUnit = await approver.GetFromJsonAsync<JsonObject>(Url("/api/tasks/todo?orgUnitId=yx-wjw"));
        Assert.That(byUnit!["items"]!.AsArray().Select(t => t!["id"]!.GetValue<Guid>()), Does.Contain(task));
        var badSort = await approver.GetAsync(Url("/api/tasks/todo?sort=title"));
        Assert.That((badSort.StatusCode, (await badSort.JsonAsync())["errors"]!["sort"] is not null), Is.EqualTo((HttpStatusCode.BadRequest, true)));

        var units = await approver.GetFromJsonAsync<JsonArray>(Url("/api/units"));
        Assert.That(units!.Select(u => u!["name"]!.GetValue<string>()), Does.Contain("叶县卫生健康委员会"));

        var detail = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/applications/{instance}"));
        Assert.That(detail!["businessNumber"]!.GetValue<string>(), Is.EqualTo(number));
        var steps = detail["progress"]!["steps"]!.AsArray().Select(s => (s!["name"]!.GetValue<string>(), s["state"]!.GetValue<string>())).ToList();
        Assert.That(steps.Take(3), Is.EqualTo(new[] { ("提交订阅申请", "done"), ("提供方审批", "current"), ("平台交换", "pending") }));
        var current = detail["progress"]!["steps"]!.AsArray().Single(s => s!["state"]!.GetValue<string>() == "current")!;
        Assert.That((current["people"]![0]!.GetValue<string>(), current["orgUnitName"]!.GetValue<string>()), Is.EqualTo(("冯子刚", "平顶山市公安局")));
        Assert.That(detail["progress"]!["next"]!.AsArray().Select(n => n!["candidates"]!.GetValue<string>()),
            Is.EqualTo(new[] { "平顶山市政务服务和大数据管理局（平台支撑人员）" }));
        Assert.That(detail.ToJsonString(), Does.Not.Contain("\"actorName\":\"system\"").And.Not.Contain("\"name\":\"Pds."));

        var preview = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{task}/return-preview?target=submit"));
        Assert.That(preview!["isCorrection"]!.GetValue<bool>(), Is.True);
        var view = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{task}"));
        Assert.That(view!["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Not.Contain("release"), "a single approver has nobody to release to");
    }
}
