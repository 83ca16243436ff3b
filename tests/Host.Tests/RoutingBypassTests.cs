using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// An applicant who tells the platform how to route their case is not followed (issue #13): every value a definition
/// routes on is sent contradicting the platform's records, over HTTP as the demo users, and the route, the assignees
/// and the exchange target are those the catalog and the organisation dictate; a refusal writes nothing.
/// <see cref="RoutingReadsTests"/> checks statically that no shipped definition routes on a value only the client gives.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
[NonParallelizable]
public sealed class RoutingBypassTests(DatabaseProvider provider)
{
    private const string Identity = ExchangeSeedStep.IdentityResourceCode;   // 市公安局 居民身份证信息: conditional, table and interface mounted
    private const string License = ExchangeSeedStep.ResourceCode;            // 市市场监管局 营业执照: unconditional, table mounted
    private const string Secret = "10100101/0909";                           // 市公安局: not shared (created here)
    private static readonly (string, string) Scan = ("stampedScan", "库表申请表（盖章）.pdf");
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = await HostFactory.StartAsync(provider, seedDemo: true);
        _sessions = new ApiSessions(_factory);
        await PublishNotSharedAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }

    [TestCase("subscription", "shareType", 1)]
    [TestCase("subscription", "providerOrgUnitId", "scjgj")]
    [TestCase("subscription", "applicant", "bureau")]
    [TestCase("interface-request", "directAuthorization", true)]
    [TestCase("interface-request", "providerOrgUnitId", "scjgj")]
    [TestCase("objection", "providerOrgUnitId", "gaj")]
    [TestCase("dispute", "providerOrgUnitId", "gaj")]
    [TestCase("provincial-resource", "proxied", true)]
    [TestCase("provincial-resource", "shareType", 1)]
    public async Task A_routing_value_sent_as_start_input_is_refused_and_nothing_is_written(string definitionId, string key, object value)
    {
        var client = await _sessions.AsAsync("rsj.contact");
        var before = await CountsAsync();

        var response = await client.PostAsJsonAsync(Url("/api/applications"),
            new JsonObject { ["definitionId"] = definitionId, ["input"] = new JsonObject { [key] = JsonValue.Create(value) } });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "platform_value");
        Assert.That(problem["errors"]![$"input.{key}"]![0]!.GetValue<string>(), Does.Contain("由平台"));
        Assert.That(await CountsAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task The_processes_offer_no_routing_value_as_a_start_input()
    {
        var processes = await (await _sessions.AsAsync("rsj.contact")).GetFromJsonAsync<JsonArray>(Url("/api/applications/processes"));
        var keys = processes!.ToDictionary(p => p!["definitionId"]!.GetValue<string>(), p => p!["inputKeys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList());
        Assert.That(keys["subscription"], Is.Empty);
        Assert.That(keys["interface-request"], Is.Empty);
        Assert.That(keys["objection"], Is.Empty);
        Assert.That(keys["dispute"], Is.Empty);
        Assert.That(keys["provincial-resource"], Is.EqualTo(new[] { "requestKind" }), "what kind of request it is remains the applicant's choice");
    }

    [Test]
    public async Task A_subscription_goes_to_the_provider_the_catalog_names_and_the_data_lands_in_the_applicants_own_database()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        // The applicant claims another provider, a share type, another using department and the county level: each is refused.
        var lying = Subscription(Identity);
        lying["providerDepartment"] = "平顶山市市场监督管理局";
        lying["shareTypeName"] = "无条件共享";
        lying["userDepartmentName"] = "平顶山市公安局";
        lying["demandLevel"] = "county";
        var before = await CountsAsync();
        var refused = await applicant.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = "subscription", ["form"] = lying });
        var problem = await ProblemAsync(refused, HttpStatusCode.BadRequest, "form_invalid");
        Assert.That(problem["fieldCodes"]!.AsObject().Select(p => p.Key),
            Is.EquivalentTo(new[] { "providerDepartment", "shareTypeName", "userDepartmentName", "demandLevel" }));
        Assert.That(problem["fieldCodes"]!.AsObject().Select(p => p.Value![0]!.GetValue<string>()), Is.All.EqualTo("platformField"));
        Assert.That(await CountsAsync(), Is.EqualTo(before));

        var id = await SubmitAsync(applicant, "subscription", Subscription(Identity), Scan);
        var tracked = await TrackAsync(applicant, id);
        Assert.That(tracked["form"]!["providerDepartment"]!.GetValue<string>(), Is.EqualTo("平顶山市公安局"));
        Assert.That(tracked["form"]!["shareTypeName"]!.GetValue<string>(), Is.EqualTo("有条件共享"));
        Assert.That(tracked["form"]!["userDepartmentName"]!.GetValue<string>(), Is.EqualTo("平顶山市人力资源和社会保障局"));
        var step = tracked["currentSteps"]!.AsArray().Single()!;
        Assert.That((step["activityId"]!.GetValue<string>(), step["orgUnitId"]!.GetValue<string>()), Is.EqualTo(("providerApproval", "gaj")));
        Assert.That(step["assigneeId"]?.GetValue<string>() ?? step["candidates"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("gaj.approver"));

        await ApproveAsync("gaj.approver", step["taskId"]!.GetValue<Guid>());
        var afterApproval = await TrackAsync(applicant, id);
        var exchangeStep = afterApproval["currentSteps"]!.AsArray().SingleOrDefault() ?? throw new AssertionException(afterApproval.ToJsonString());
        Assert.That(exchangeStep["activityId"]!.GetValue<string>(), Is.EqualTo("platformExchange"));
        await ApproveAsync("bureau.support", exchangeStep["taskId"]!.GetValue<Guid>());

        var runs = await applicant.GetFromJsonAsync<JsonArray>(Url($"/api/applications/{id}/exchange"));
        var run = runs!.SingleOrDefault()?["run"] ?? throw new AssertionException(await (await _sessions.AsAsync("bureau.admin")).GetStringAsync(Url($"/api/instances/{id}/incidents")));
        Assert.That((run["providerOrgUnitId"]!.GetValue<string>(), run["consumerOrgUnitId"]!.GetValue<string>(), run["targetOrgUnitId"]!.GetValue<string>()),
            Is.EqualTo(("gaj", "rsj", "rsj")));
        Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
    }

    [Test]
    public async Task An_unconditional_resource_skips_the_provider_whatever_the_applicant_claims_and_a_county_department_receives_into_the_county_database()
    {
        var applicant = await _sessions.AsAsync("yx-wjw.contact");
        var form = Subscription(License);
        form["demandLevel"] = "municipal";
        var refused = await applicant.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = "subscription", ["form"] = form });
        Assert.That((await ProblemAsync(refused, HttpStatusCode.BadRequest, "form_invalid"))["fieldCodes"]!["demandLevel"]![0]!.GetValue<string>(),
            Is.EqualTo("platformField"));

        var id = await SubmitAsync(applicant, "subscription", Subscription(License), Scan);
        var step = (await TrackAsync(applicant, id))["currentSteps"]!.AsArray().Single()!;
        Assert.That(step["activityId"]!.GetValue<string>(), Is.EqualTo("platformExchange"), "unconditional: the platform exchanges at once");
        await ApproveAsync("bureau.support", step["taskId"]!.GetValue<Guid>());

        var run = (await applicant.GetFromJsonAsync<JsonArray>(Url($"/api/applications/{id}/exchange")))!.Single()!["run"]!;
        Assert.That((run["consumerOrgUnitId"]!.GetValue<string>(), run["targetOrgUnitId"]!.GetValue<string>(), run["targetLevel"]!.GetValue<string>()),
            Is.EqualTo(("yx-wjw", "yx-sjj", "county")), "a county department's data goes to its county's front-end database (001 第十一条)");
    }

    [Test]
    public async Task A_not_shared_resource_is_refused_before_a_case_exists_with_the_way_to_coordination()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        var before = await CountsAsync();

        var refused = await applicant.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = "subscription", ["form"] = Subscription(Secret) });

        var problem = await ProblemAsync(refused, HttpStatusCode.BadRequest, "resource_not_shared");
        var message = problem["errors"]!["resourceCode"]![0]!.GetValue<string>();
        Assert.That(message, Does.Contain("不予共享").And.Contain("共享争议协调").And.Contain("第十八条"));
        Assert.That(await CountsAsync(), Is.EqualTo(before));

        // The way it points to: the dispute process, whose provider the same catalog entry decides.
        var dispute = await SubmitAsync(applicant, "dispute", new JsonObject
        {
            ["resourceCode"] = Secret, ["issue"] = "办理社会保险待遇资格认证需核验该信息，请求协调共享。", ["legalBasis"] = "《社会保险法》第七十三条",
            ["contactName"] = "周一航", ["contactPhone"] = "13937500005", ["contactEmail"] = "zhou.yihang@example.gov.cn",
        });
        var tracked = await TrackAsync(applicant, dispute);
        Assert.That(tracked["form"]!["providerDepartment"]!.GetValue<string>(), Is.EqualTo("平顶山市公安局"));
        Assert.That(tracked["currentSteps"]!.AsArray().Single()!["activityId"]!.GetValue<string>(), Is.EqualTo("convene"));
    }

    [Test]
    public async Task An_interface_is_authorised_directly_only_when_the_catalog_says_so_and_a_county_department_goes_through_its_county()
    {
        var municipal = await _sessions.AsAsync("mzj.contact");
        var id = await SubmitAsync(municipal, "interface-request", Interface(), ("stampedScan", "服务接口申请表（盖章）.pdf"));
        var accept = (await TrackAsync(municipal, id))["currentSteps"]!.AsArray().Single()!;
        Assert.That(accept["activityId"]!.GetValue<string>(), Is.EqualTo("accept"), "a municipal department files directly, whatever the form says");
        await ApproveAsync("bureau.support", accept["taskId"]!.GetValue<Guid>());
        var next = (await TrackAsync(municipal, id))["currentSteps"]!.AsArray().Single()!;
        Assert.That((next["activityId"]!.GetValue<string>(), next["orgUnitId"]!.GetValue<string>()), Is.EqualTo(("providerApproval", "gaj")),
            "a conditional interface is authorised by its provider, not by the platform (001 第十六条)");

        var county = await _sessions.AsAsync("yx-wjw.contact");
        var claimsDirect = Interface();
        claimsDirect["submittedVia"] = "direct";
        var refused = await county.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = "interface-request", ["form"] = claimsDirect });
        Assert.That((await ProblemAsync(refused, HttpStatusCode.BadRequest, "form_invalid"))["fieldCodes"]!["submittedVia"]![0]!.GetValue<string>(),
            Is.EqualTo("platformField"));
        var viaCounty = await SubmitAsync(county, "interface-request", Interface(),
            ("stampedScan", "服务接口申请表（盖章）.pdf"), ("departmentFormScan", "叶县卫健委申请表.pdf"));
        var review = (await TrackAsync(county, viaCounty))["currentSteps"]!.AsArray().Single()!;
        Assert.That((review["activityId"]!.GetValue<string>(), review["orgUnitId"]!.GetValue<string>()), Is.EqualTo(("countyReview", "yx-sjj")),
            "001 第十三条: the county data authority collects and reviews its departments' requests");
    }

    [Test]
    public async Task An_objection_goes_to_the_provider_of_the_resource_it_names()
    {
        var applicant = await _sessions.AsAsync("xhq-mzj.contact");
        var lying = Objection(License);
        lying["providerDepartment"] = "平顶山市公安局";
        var refused = await applicant.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = "objection", ["form"] = lying });
        await ProblemAsync(refused, HttpStatusCode.BadRequest, "form_invalid");

        var id = await SubmitAsync(applicant, "objection", Objection(License));
        var reply = (await TrackAsync(applicant, id))["currentSteps"]!.AsArray().Single()!;
        Assert.That((reply["activityId"]!.GetValue<string>(), reply["orgUnitId"]!.GetValue<string>()), Is.EqualTo(("reply", "scjgj")));
    }

    [Test]
    public async Task A_form_names_only_attachments_uploaded_to_its_own_case()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        var other = await SubmitAsync(applicant, "subscription", Subscription(License), Scan);
        var otherFile = (await TrackAsync(applicant, other))["attachments"]!.AsArray().First()!;

        var created = await applicant.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = "subscription", ["form"] = Subscription(License) });
        var id = (await created.JsonAsync())["instanceId"]!.GetValue<Guid>();
        foreach (var forged in new JsonObject[]
                 {
                     new() { ["id"] = Guid.NewGuid().ToString(), ["name"] = "申请表（盖章）.pdf" },
                     new() { ["id"] = otherFile["id"]!.GetValue<string>(), ["name"] = otherFile["fileName"]!.GetValue<string>() },
                 })
        {
            var form = Subscription(License);
            form["stampedScan"] = forged;
            var response = await applicant.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new JsonObject { ["form"] = form });
            Assert.That((await ProblemAsync(response, HttpStatusCode.BadRequest, "form_invalid"))["fieldCodes"]!["stampedScan"]![0]!.GetValue<string>(),
                Is.EqualTo("attachmentNotFound"));
        }

        Assert.That((await TrackAsync(applicant, id))["isDraft"]!.GetValue<bool>(), Is.True, "refused: still a draft");
    }

    [Test]
    public async Task Withdrawing_is_refused_once_the_provider_decided_and_is_not_offered()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        var id = await SubmitAsync(applicant, "subscription", Subscription(Identity), Scan);
        var tracked = await TrackAsync(applicant, id);
        Assert.That(Actions(tracked), Does.Contain("withdraw"), "nobody acted yet");

        await ApproveAsync("gaj.approver", tracked["currentSteps"]!.AsArray().Single()!["taskId"]!.GetValue<Guid>());
        Assert.That(Actions(await TrackAsync(applicant, id)), Does.Not.Contain("withdraw"));
        var before = await CountsAsync();
        var refused = await applicant.PostAsJsonAsync(Url($"/api/applications/{id}/withdraw"), new { reason = "不需要了" });

        var problem = await ProblemAsync(refused, HttpStatusCode.Conflict, "next_step_decided");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("提供方审批").And.Contain("同意"));
        Assert.That(await CountsAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Fields_hidden_from_a_party_or_still_being_drafted_are_absent_from_every_answer()
    {
        var applicant = await _sessions.AsAsync("xhq-mzj.contact");
        var id = await SubmitAsync(applicant, "objection", Objection(License));
        var reply = (await TrackAsync(applicant, id))["currentSteps"]!.AsArray().Single()!["taskId"]!.GetValue<Guid>();
        var provider = await _sessions.AsAsync("scjgj.approver");
        var draft = new JsonObject { ["replyResult"] = "corrected", ["replyContent"] = "草稿：正在核实注销数据同步问题，暂勿外传。" };
        Assert.That((await provider.PostAsJsonAsync(Url($"/api/tasks/{reply}/form"), new JsonObject { ["form"] = draft })).IsSuccessStatusCode, Is.True);

        var seen = await TrackAsync(applicant, id);
        Assert.That(seen["form"]!.AsObject().ContainsKey("replyContent"), Is.False, "the provider's draft reply is not the applicant's to read yet");
        Assert.That(seen["input"]!.AsObject().ContainsKey("form"), Is.False);
        Assert.That((await applicant.GetAsync(Url($"/api/instances/{id}"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await applicant.GetAsync(Url($"/api/instances/{id}/journal"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await TrackAsync(provider, id))["form"]!["replyContent"]!.GetValue<string>(), Does.StartWith("草稿"));

        // Replied on the day the platform recorded the report (a reply may not predate it).
        var answer = Reply();
        answer["repliedOn"] = seen["form"]!["reportedOn"]!.GetValue<string>();
        Assert.That((await provider.PostAsJsonAsync(Url($"/api/tasks/{reply}/approve"), new JsonObject { ["comment"] = "已答复", ["form"] = answer })).IsSuccessStatusCode, Is.True);
        Assert.That((await TrackAsync(applicant, id))["form"]!["replyContent"]!.GetValue<string>(), Is.EqualTo(answer["replyContent"]!.GetValue<string>()),
            "once answered, the reply is the applicant's to read");
    }

    [Test]
    public async Task An_extension_request_reaches_those_who_decide_it_and_only_they_are_offered_the_decision()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        var id = await SubmitAsync(applicant, "subscription", Subscription(Identity), Scan);
        var task = (await TrackAsync(applicant, id))["currentSteps"]!.AsArray().Single()!["taskId"]!.GetValue<Guid>();
        var provider = await _sessions.AsAsync("gaj.approver");
        var asked = await provider.PostAsJsonAsync(Url($"/api/tasks/{task}/extension"), new { workingDays = 3, reason = "需会同户政部门核实用途" });
        Assert.That(asked.IsSuccessStatusCode, Is.True, await asked.Content.ReadAsStringAsync());

        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            var notices = await db.Outbox.Where(m => m.InstanceId == id && m.Type == "notify.extension-requested").Select(m => m.PayloadJson).ToListAsync();
            Assert.That(notices.Select(p => JsonNode.Parse(p)!["user"]!.GetValue<string>()), Does.Contain("bureau.admin"));
        }

        Assert.That(await TaskActionsAsync(applicant, task), Does.Not.Contain("decideExtension"));
        Assert.That(await TaskActionsAsync(provider, task), Does.Not.Contain("decideExtension").And.Not.Contain("requestExtension"));
        Assert.That(await TaskActionsAsync(await _sessions.AsAsync("bureau.admin"), task), Does.Contain("decideExtension"));
    }

    [Test]
    public async Task A_provincial_request_for_data_the_city_holds_runs_as_a_child_case_listed_and_tracked_with_its_parent()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        var form = Subscription(License);
        form.Remove("stampedScan");
        var created = await applicant.PostAsJsonAsync(Url("/api/applications"),
            new JsonObject { ["definitionId"] = "provincial-resource", ["input"] = new JsonObject { ["requestKind"] = "table" }, ["form"] = form });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var parent = await created.JsonAsync();
        var id = parent["instanceId"]!.GetValue<Guid>();
        var child = parent["children"]!.AsArray().Single()!;
        Assert.That(child["definitionId"]!.GetValue<string>(), Is.EqualTo("subscription"), "the city holds it: the ordinary subscription (000 五)");
        Assert.That(parent["currentSteps"]!.AsArray().Single()!["activityId"]!.GetValue<string>(), Is.EqualTo("submit"), "the child's step shows on the parent");

        var mine = await applicant.GetFromJsonAsync<JsonObject>(Url("/api/applications/mine?pageSize=200"));
        var row = mine!["items"]!.AsArray().Single(i => i!["instanceId"]!.GetValue<Guid>() == id)!;
        Assert.That(row["currentSteps"]!.AsArray(), Has.Count.EqualTo(1));
    }

    private async Task PublishNotSharedAsync()
    {
        var catalog = _factory.Services.GetRequiredService<CatalogService>();
        if (await catalog.FindByResourceCodeAsync(Secret) is not null) return;
        var data = (await catalog.FindByResourceCodeAsync(Identity))!.Published!.Data.DeepClone().AsObject();
        data["resourceCode"] = Secret;
        data["classSubheading"] = "01";
        data["resourceName"] = "重点人员管控信息";
        data["shareType"] = 3;
        foreach (var key in new[] { "shareCondition", "shareScope", "shareMethodCategory", "shareMethodType" }) data.Remove(key);
        data["shareLegalBasis"] = "《中华人民共和国反恐怖主义法》第四十八条";
        var created = Ok(await catalog.CreateAsync("gaj", data, "gaj.cataloger"));
        Ok(await catalog.SubmitAsync(created.EntryId, "gaj.cataloger"));
        Ok(await catalog.RegisterAsync(created.EntryId, "gaj.admin"));
        Ok(await catalog.PublishAsync(created.EntryId, "gaj.admin"));
    }

    /// <summary>Creates a draft, uploads the files to it, submits it; the case id.</summary>
    private static async Task<Guid> SubmitAsync(HttpClient client, string definitionId, JsonObject form, params (string Field, string Name)[] files)
    {
        var created = await client.PostAsJsonAsync(Url("/api/applications"), new JsonObject { ["definitionId"] = definitionId, ["form"] = form.DeepClone() });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["instanceId"]!.GetValue<Guid>();
        var sent = (JsonObject)form.DeepClone();
        foreach (var (field, name) in files)
        {
            using var content = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Content(name)), "file", name } };
            var uploaded = await client.PostAsync(Url($"/api/applications/{id}/attachments"), content);
            Assert.That(uploaded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await uploaded.Content.ReadAsStringAsync());
            sent[field] = new JsonObject { ["id"] = (await uploaded.JsonAsync())["id"]!.GetValue<string>(), ["name"] = name };
        }

        var submitted = await client.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new JsonObject { ["form"] = sent });
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await submitted.Content.ReadAsStringAsync());
        return id;
    }

    private async Task ApproveAsync(string user, Guid taskId)
    {
        var approved = await (await _sessions.AsAsync(user)).PostAsJsonAsync(Url($"/api/tasks/{taskId}/approve"), new { comment = "同意" });
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approved.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> TrackAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonObject>(Url($"/api/applications/{id}")))!;

    private static async Task<IReadOnlyList<string>> TaskActionsAsync(HttpClient client, Guid taskId) =>
        (await client.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{taskId}")))!["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

    private static IReadOnlyList<string> Actions(JsonObject tracked) => tracked["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo(code), body);
        Assert.That(problem["title"]!.GetValue<string>(), Does.Match(@"\p{IsCJKUnifiedIdeographs}"));
        return problem;
    }

    /// <summary>What a refusal must not change: cases, their journal, tasks, files, outbox.</summary>
    private async Task<(int, int, int, int, int)> CountsAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        return (await db.Instances.CountAsync(), await db.Journal.CountAsync(), await db.Tasks.CountAsync(), await db.Attachments.CountAsync(),
            await db.Outbox.CountAsync());
    }

    /// <summary>A subscription form with the applicant's own fields only: the platform fills the rest from its records.</summary>
    private static JsonObject Subscription(string resourceCode) => new()
    {
        ["resourceCode"] = resourceCode, ["resourceType"] = "table",
        ["requestedFields"] = resourceCode == License ? "统一社会信用代码、名称、法定代表人" : "姓名、公民身份证号码",
        ["purpose"] = "办理社会保险参保登记时核验参保人身份信息。", ["legalBasis"] = "《社会保险法》第五十八条",
        ["contactName"] = "吴思源", ["contactPhone"] = "13937500011", ["contactEmail"] = "wu.siyuan@example.gov.cn",
        ["systemName"] = "社会保险业务系统（SBXT）", ["extranetIps"] = "59.207.66.10", ["deploymentLocation"] = "平顶山市政务云机房",
        ["handler"] = "吴思源", ["applicationDate"] = "2026-03-02",
    };

    private static JsonObject Interface() => new()
    {
        ["resourceCode"] = Identity, ["interfaceName"] = ExchangeSeedStep.IdentityInterface,
        ["purpose"] = "办理婚姻登记时核验当事人身份信息，减少证明材料。", ["legalBasis"] = "《婚姻登记条例》第五条",
        ["periodStart"] = "2026-03-10", ["periodDays"] = 365, ["contactName"] = "孙雨桐", ["contactPhone"] = "13937500002",
        ["contactEmail"] = "sun.yutong@example.gov.cn", ["systemName"] = "婚姻登记系统（HYDJ）", ["extranetIps"] = "59.207.101.21",
        ["deploymentLocation"] = "平顶山市政务云机房", ["dailyCallsAverage"] = 200, ["dailyCallsPeak"] = 1000, ["usageHours"] = "工作日 08:00-20:00",
        ["handler"] = "孙雨桐", ["applicationDate"] = "2026-03-02", ["declaration"] = true,
    };

    private static JsonObject Objection(string resourceCode) => new()
    {
        ["subscriptionNumber"] = "订阅-2026-000001", ["resourceCode"] = resourceCode, ["discoveredOn"] = "2026-03-02",
        ["problemTypes"] = new JsonArray("wrongValue"), ["description"] = "部分企业的登记状态与现场核验不一致，注销企业仍显示为存续。",
        ["contactName"] = "李文博", ["contactPhone"] = "13937500003", ["contactEmail"] = "li.wenbo@example.gov.cn",
    };

    private static JsonObject Reply() => new()
    {
        ["replyResult"] = "corrected", ["replyContent"] = "经核实为注销信息同步延迟，已补推送注销记录并修复同步任务。", ["correctedOn"] = "2026-03-03",
        ["repliedBy"] = "周敏", ["repliedOn"] = "2026-03-03",
    };

    private static T Ok<T>(PdsWorkflow.Workflows.Runtime.WorkflowResult<T> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => result + " " + string.Join("; ", result.Error?.Errors.Select(e => $"{e.Input}: {e.Message}") ?? []));
        return result.Value;
    }
}
