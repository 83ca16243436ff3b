using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>Happy paths and validation of applications, tasks and administration over HTTP, as the demo users.</summary>
public sealed class ApiApplicationTests
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

    private static JsonObject PlatformAccountForm() => new()
    {
        ["systemName"] = "平顶山市政务数据共享交换平台", ["requestType"] = "new", ["accountUnitId"] = "mzj",
        ["applicantName"] = "赵一鸣", ["jobTitle"] = "信息科科员", ["formalStaff"] = true, ["phone"] = "139 3750 0001",
        ["email"] = "zhao.yiming@example.gov.cn", ["reason"] = "开展婚姻登记信息共享对接工作，需开通平台用户账号。", ["applicationDate"] = "2025-03-03",
        ["stampedScan"] = new JsonObject { ["id"] = "scan.pdf", ["name"] = "用户账号密码申请单（盖章）.pdf", ["size"] = 1024 },
    };

    [Test]
    public async Task A_draft_is_saved_given_files_refused_with_field_errors_then_submitted_and_tracked()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var processes = await applicant.GetFromJsonAsync<JsonArray>(Url("/api/applications/processes"));
        var account = processes!.Single(p => p!["definitionId"]!.GetValue<string>() == "account-platform")!;
        Assert.That(account["formId"]!.GetValue<string>(), Is.EqualTo("account-platform"));
        var schema = await applicant.GetFromJsonAsync<JsonObject>(Url("/api/forms/account-platform"));
        Assert.That(schema!["sections"]!.AsArray(), Is.Not.Empty);

        var created = await applicant.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "account-platform", form = new { reason = "先保存草稿稍后补充" } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var draft = await created.JsonAsync();
        var id = draft["instanceId"]!.GetValue<Guid>();
        Assert.That(draft["isDraft"]!.GetValue<bool>(), Is.True);
        Assert.That(draft["form"]!["reason"]!.GetValue<string>(), Is.EqualTo("先保存草稿稍后补充"));
        Assert.That(draft["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()), Is.SupersetOf(new[] { "submit", "saveDraft", "discard" }));

        var saved = await applicant.PutAsJsonAsync(Url($"/api/applications/{id}/draft"), new { form = new { reason = "第二次保存草稿内容" } });
        Assert.That((await saved.JsonAsync())["form"]!["reason"]!.GetValue<string>(), Is.EqualTo("第二次保存草稿内容"));

        JsonObject file;
        using (var scan = new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 stamped"u8.ToArray()), "file", "申请单（盖章）.pdf" } })
        {
            var uploaded = await applicant.PostAsync(Url($"/api/applications/{id}/attachments"), scan);
            Assert.That(uploaded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await uploaded.Content.ReadAsStringAsync());
            file = await uploaded.JsonAsync();
            var download = await applicant.GetAsync(Url($"/api/applications/{id}/attachments/{file["id"]!.GetValue<Guid>()}"));
            Assert.That(await download.Content.ReadAsStringAsync(), Is.EqualTo("%PDF-1.4 stamped"));
        }

        using (var program = new MultipartFormDataContent { { new ByteArrayContent([0x4d, 0x5a]), "file", "setup.exe" } })
        {
            var refused = await applicant.PostAsync(Url($"/api/applications/{id}/attachments"), program);
            var problem = await refused.JsonAsync();
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("file_type_not_allowed"));
            Assert.That(problem["errors"]!["file"], Is.Not.Null);
        }

        var bad = PlatformAccountForm();
        bad["phone"] = "12345";
        bad.Remove("applicantName");
        var invalid = await applicant.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new { form = bad });
        var errors = await invalid.JsonAsync();
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), errors.ToJsonString());
        Assert.That(errors["code"]!.GetValue<string>(), Is.EqualTo("form_invalid"));
        Assert.That(errors["errors"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "phone", "applicantName" }));
        Assert.That(errors["errors"]!["phone"]![0]!.GetValue<string>(), Does.Match("[\u4e00-\u9fff]"), "the message is Chinese");

        // The form names the scan uploaded to this case (a form may name no other file).
        var complete = PlatformAccountForm();
        complete["stampedScan"] = new JsonObject { ["id"] = file["id"]!.GetValue<string>(), ["name"] = file["fileName"]!.GetValue<string>() };
        var submitted = await applicant.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new { form = complete });
        var tracked = await submitted.JsonAsync();
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), tracked.ToJsonString());
        Assert.That(tracked["isDraft"]!.GetValue<bool>(), Is.False);
        var step = tracked["currentSteps"]!.AsArray().Single()!;
        Assert.That(step["candidates"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()), Does.Contain("bureau.admin"));
        Assert.That(step["deadline"]!["explanation"]!.GetValue<string>(), Is.Not.Empty, "the due date comes with its working-day explanation");
        Assert.That(tracked["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()), Does.Contain("approve"));
        Assert.That(tracked["attachments"]!.AsArray(), Has.Count.EqualTo(1));

        var mine = await applicant.GetFromJsonAsync<JsonObject>(Url("/api/applications/mine"));
        Assert.That(mine!["items"]!.AsArray().Select(a => a!["instanceId"]!.GetValue<Guid>()), Does.Contain(id));
        var discard = await applicant.DeleteAsync(Url($"/api/applications/{id}"));
        Assert.That((await discard.JsonAsync())["code"]!.GetValue<string>(), Is.EqualTo("not_a_draft"));
        var stranger = await (await _sessions.AsAsync("rsj.contact")).GetAsync(Url($"/api/applications/{id}"));
        Assert.That(stranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_create_sent_again_with_the_same_idempotency_key_answers_with_the_same_case()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var key = $"create-{Guid.NewGuid():N}";
        async Task<HttpResponseMessage> CreateAsync(HttpClient client, string idempotencyKey, string reason)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url("/api/applications"))
            {
                Content = JsonContent.Create(new { definitionId = "account-platform", form = new { reason } }),
            };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await client.SendAsync(request);
        }

        var first = await CreateAsync(applicant, key, "第一次发送的申请");
        var again = await CreateAsync(applicant, key, "第一次发送的申请");
        Assert.That((first.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)), await again.Content.ReadAsStringAsync());
        var id = (await first.JsonAsync())["instanceId"]!.GetValue<Guid>();
        Assert.That((await again.JsonAsync())["instanceId"]!.GetValue<Guid>(), Is.EqualTo(id), "the retry answers with the case the first attempt started");
        var mine = (await applicant.GetFromJsonAsync<JsonObject>(Url("/api/applications/mine?pageSize=200")))!["items"]!.AsArray();
        Assert.That(mine.Count(a => a!["instanceId"]!.GetValue<Guid>() == id), Is.EqualTo(1));
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            Assert.That(await db.Instances.CountAsync(i => i.CorrelationId != null && i.CorrelationId.EndsWith(key)), Is.EqualTo(1), "one case started for the key");

        // The key is the caller's: another applicant with the same key starts a case of its own; a new key, a new case.
        var other = await CreateAsync(await _sessions.AsAsync("rsj.contact"), key, "另一单位的申请事由");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created), await other.Content.ReadAsStringAsync());
        Assert.That((await other.JsonAsync())["instanceId"]!.GetValue<Guid>(), Is.Not.EqualTo(id));
        var fresh = await CreateAsync(applicant, key + "-2", "第二份申请的事由");
        Assert.That((await fresh.JsonAsync())["instanceId"]!.GetValue<Guid>(), Is.Not.EqualTo(id));

        var bad = await CreateAsync(applicant, new string('k', 101), "键太长");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await bad.JsonAsync())["errors"]!["Idempotency-Key"], Is.Not.Null);
    }

    [Test]
    public async Task A_new_application_whose_form_is_refused_leaves_no_draft_waiting()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var before = await applicant.GetFromJsonAsync<JsonObject>(Url("/api/applications/mine"));

        var refused = await applicant.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "account-platform", form = new { phone = "12345" } });

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await refused.JsonAsync())["errors"]!["phone"], Is.Not.Null);
        var after = await applicant.GetFromJsonAsync<JsonObject>(Url("/api/applications/mine"));
        var drafts = after!["items"]!.AsArray().Where(a => a!["status"]!.GetValue<string>() == "Suspended").Count();
        Assert.That(drafts, Is.EqualTo(before!["items"]!.AsArray().Count(a => a!["status"]!.GetValue<string>() == "Suspended")), "no draft waits at the applicant's step");
    }

    [Test]
    public async Task A_draft_can_be_discarded_and_a_process_outside_the_list_cannot_be_started()
    {
        var applicant = await _sessions.AsAsync("rsj.contact");
        var created = await (await applicant.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "account-frontend" })).JsonAsync();
        var id = created["instanceId"]!.GetValue<Guid>();
        Assert.That((await applicant.DeleteAsync(Url($"/api/applications/{id}"))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var after = await applicant.GetFromJsonAsync<JsonObject>(Url($"/api/applications/{id}"));
        Assert.That(after!["status"]!.GetValue<string>(), Is.EqualTo("Cancelled"));
        // A discarded draft is no false alarm for the auditor: its journal reproduces, its end is signed.
        var verified = await (await _sessions.AsAsync("bureau.auditor")).GetFromJsonAsync<JsonObject>(Url($"/api/audit/instances/{id}/verify"));
        Assert.That(verified!["isIntactAndReproducible"]!.GetValue<bool>(), Is.True, verified["verdict"]?.GetValue<string>());
        Assert.That(verified["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "chain", "records", "signatures", "anchor", "replay" }));

        var catalog = await applicant.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "catalog-municipal" });
        var problem = await catalog.JsonAsync();
        Assert.That(catalog.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("process_not_startable"));
        Assert.That(problem["errors"]!["definitionId"], Is.Not.Null);
    }

    [Test]
    public async Task The_provider_returns_for_correction_the_applicant_resubmits_and_the_provider_approves()
    {
        var (caseId, taskId) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
        var approver = await _sessions.AsAsync("gaj.approver");
        var applicant = await _sessions.AsAsync("yx-wjw.contact");

        var targets = await approver.GetFromJsonAsync<JsonArray>(Url($"/api/tasks/{taskId}/return-targets"));
        Assert.That(targets!.Select(t => t!["activityId"]!.GetValue<string>()), Does.Contain("submit"));
        var preview = await approver.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{taskId}/return-preview?target=submit"));
        Assert.That(preview!["isCorrection"]!.GetValue<bool>(), Is.True);
        var noReason = await approver.PostAsJsonAsync(Url($"/api/tasks/{taskId}/return"), new { target = "submit" });
        Assert.That((await noReason.JsonAsync())["code"]!.GetValue<string>(), Is.EqualTo("reason_required"));
        var returned = await approver.PostAsJsonAsync(Url($"/api/tasks/{taskId}/return"), new { target = "submit", reason = "请补充法律依据条款原文" });
        Assert.That(returned.StatusCode, Is.EqualTo(HttpStatusCode.OK), await returned.Content.ReadAsStringAsync());

        var tracking = await applicant.GetFromJsonAsync<JsonObject>(Url($"/api/applications/{caseId}"));
        Assert.That(tracking!["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Contain("submit"));
        var form = tracking["form"]!.AsObject();
        form["legalBasis"] = "《中华人民共和国母婴保健法》第二十三条：医疗保健机构和从事家庭接生的人员按照国务院卫生行政部门的规定，出具统一制发的新生儿出生医学证明。";
        var resubmitted = await applicant.PostAsJsonAsync(Url($"/api/applications/{caseId}/submit"), new { form, comment = "已补正" });
        Assert.That(resubmitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resubmitted.Content.ReadAsStringAsync());

        var todo = await approver.GetFromJsonAsync<JsonObject>(Url("/api/tasks/todo"));
        var again = todo!["items"]!.AsArray().Single(t => t!["instanceId"]!.GetValue<Guid>() == caseId)!["id"]!.GetValue<Guid>();
        var comment = await approver.PostAsJsonAsync(Url($"/api/tasks/{again}/comment"), new { comment = "已核对" });
        Assert.That(comment.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var approved = await approver.PostAsJsonAsync(Url($"/api/tasks/{again}/approve"), new { comment = "同意共享" });
        var view = await approved.JsonAsync();
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), view.ToJsonString());
        Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo("Completed"));
        var done = await approver.GetFromJsonAsync<JsonObject>(Url("/api/tasks/done"));
        Assert.That(done!["items"]!.AsArray().Select(t => t!["id"]!.GetValue<Guid>()), Does.Contain(again));
        var history = (await applicant.GetFromJsonAsync<JsonObject>(Url($"/api/applications/{caseId}")))!["history"]!.AsArray();
        Assert.That(history.Select(h => h!["action"]!.GetValue<string>()), Is.SupersetOf(new[] { "return", "comment", "approve" }));
    }

    [Test]
    public async Task Platform_admins_manage_units_and_users_with_field_errors_and_others_are_refused()
    {
        var admin = await _sessions.AsAsync("bureau.admin");
        var badUnit = await admin.PostAsJsonAsync(Url("/api/admin/units"),
            new { id = "gaj", name = "", kind = "Planet", regionCode = "41", creditCode = "11410400DEM000022B" });
        var unitErrors = (await badUnit.JsonAsync())["errors"]!.AsObject().Select(p => p.Key);
        Assert.That(badUnit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unitErrors, Is.EquivalentTo(new[] { "id", "name", "kind", "regionCode", "creditCode" }));
        var unit = await admin.PostAsJsonAsync(Url("/api/admin/units"),
            new { id = "gaj-test", name = "平顶山市公安局测试支队", kind = "SecondaryUnit", parentId = "gaj", regionCode = "410400" });
        Assert.That(unit.StatusCode, Is.EqualTo(HttpStatusCode.Created), await unit.Content.ReadAsStringAsync());

        var badUser = await admin.PostAsJsonAsync(Url("/api/admin/users"),
            new { id = "gaj.approver", displayName = "", orgUnitId = "nowhere", password = "short", email = "not-mail", roles = new[] { "king" } });
        var userErrors = (await badUser.JsonAsync())["errors"]!.AsObject().Select(p => p.Key);
        Assert.That(userErrors, Is.EquivalentTo(new[] { "id", "displayName", "orgUnitId", "password", "email", "roles" }));
        var created = await admin.PostAsJsonAsync(Url("/api/admin/users"),
            new { id = "gaj-test.contact", displayName = "测试联系人", orgUnitId = "gaj-test", password = "Test2026abcd" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var security = await _sessions.AsAsync("bureau.security");
        var roles = await security.PutAsJsonAsync(Url("/api/security/users/gaj-test.contact/roles"), new { roles = new[] { "data_contact", "cataloger" } });
        Assert.That((await roles.JsonAsync())["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "cataloger", "data_contact" }));

        var client = _factory.CreateClient();
        await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "gaj-test.contact", password = "Test2026abcd" });
        var me = await client.GetFromJsonAsync<JsonObject>(Url("/api/me"));
        Assert.That(me!["unit"]!["id"]!.GetValue<string>(), Is.EqualTo("gaj-test"));
        Assert.That((await admin.PostAsync(Url("/api/admin/users/gaj-test.contact/disable"), null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a disabled user's session ends");

        var department = await _sessions.AsAsync("gaj.admin");
        Assert.That((await department.GetAsync(Url("/api/admin/users"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await department.PostAsJsonAsync(Url("/api/admin/units"), new { id = "x1" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task The_catalog_is_searched_and_an_entry_shows_its_items()
    {
        var user = await _sessions.AsAsync("yx-wjw.contact");
        var page = await user.GetFromJsonAsync<JsonObject>(Url("/api/catalog/entries?pageSize=50"));
        var items = page!["items"]!.AsArray();
        Assert.That(items, Has.Count.EqualTo(8), "the eight published demo entries");
        var first = items[0]!["version"]!;
        var entry = await user.GetFromJsonAsync<JsonObject>(Url($"/api/catalog/entries/{first["entryId"]!.GetValue<Guid>()}"));
        Assert.That(entry!["entry"]!["published"]!["items"]!.AsArray(), Is.Not.Empty);
        Assert.That(entry["providerName"]!.GetValue<string>(), Is.Not.Empty);
        var filtered = await user.GetFromJsonAsync<JsonObject>(Url($"/api/catalog/entries?providerOrgUnitId={first["providerOrgUnitId"]!.GetValue<string>()}"));
        Assert.That(filtered!["items"]!.AsArray().All(i => i!["version"]!["providerOrgUnitId"]!.GetValue<string>() == first["providerOrgUnitId"]!.GetValue<string>()));
        Assert.That((await user.GetAsync(Url("/api/catalog/entries?allVersions=true"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var history = await user.GetAsync(Url($"/api/catalog/entries/{first["entryId"]!.GetValue<Guid>()}/history"));
        Assert.That(history.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another unit's catalog history is outside scope");
    }

    [Test]
    public async Task The_OpenAPI_document_lists_the_endpoints()
    {
        var document = await (await _sessions.AsAsync("mzj.contact")).GetFromJsonAsync<JsonObject>(Url("/openapi/v1.json"));
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Is.SupersetOf(new[] { "/api/me", "/api/tasks/{id}/approve", "/api/applications/{id}/submit", "/api/catalog/entries", "/api/admin/users" }));
    }
}
