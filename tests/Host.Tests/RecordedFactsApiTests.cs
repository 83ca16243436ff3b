using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// Over HTTP, as the demo users: what the platform settles from its records for accounts, catalog updates and objections
/// (000 §五, 004 第十一条, 000 三、3), and that a request contradicting the records is refused before any case exists.
/// The demo organisation and catalog are seeded; the demo's in-flight applications are not.
/// </summary>
public sealed class RecordedFactsApiTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly string _noApplications = Path.Combine(Path.GetTempPath(), "pdsworkflow-host-tests", $"no-applications-{Guid.NewGuid():N}.json");
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_noApplications)!);
        await File.WriteAllTextAsync(_noApplications, """{"applications": []}""");
        _factory = new HostFactory(seedDemo: true, new Dictionary<string, string?> { ["Demo:ApplicationsFile"] = _noApplications });
        _sessions = new ApiSessions(_factory);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
        File.Delete(_noApplications);
    }

    private async Task<int> CasesOfAsync(string initiator)
    {
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        return await db.Instances.CountAsync(i => i.Initiator == initiator);
    }

    private static JsonObject AccountForm(JsonObject request)
    {
        var form = new JsonObject
        {
            ["systemName"] = "平顶山市政务数据共享交换平台", ["applicantName"] = "赵一鸣", ["jobTitle"] = "信息科科员", ["formalStaff"] = true,
            ["phone"] = "139 3750 0001", ["email"] = "zhao.yiming@example.gov.cn", ["reason"] = "开展婚姻登记信息共享对接工作，需开通平台用户账号。",
            ["applicationDate"] = "2026-03-03",
        };
        foreach (var (key, value) in request) form[key] = value?.DeepClone();
        return form;
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.JsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToJsonString());
        return problem;
    }

    [Test]
    public async Task An_account_request_naming_another_units_account_or_the_bureau_or_declaring_a_route_is_refused_before_a_case_exists()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var before = await CasesOfAsync("mzj.contact");

        var otherUnits = await ProblemAsync(await applicant.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "account-platform", form = AccountForm(new JsonObject { ["requestType"] = "reset", ["existingAccount"] = "zjj.cataloger" }),
        }));
        Assert.That(otherUnits["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "existingAccount" }));
        Assert.That(otherUnits["errors"]!["existingAccount"]![0]!.GetValue<string>(), Does.Contain("不属于贵单位"));

        var bureau = await ProblemAsync(await applicant.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "account-platform", form = AccountForm(new JsonObject { ["requestType"] = "new", ["accountUnitId"] = "bureau" }),
        }));
        Assert.That(bureau["errors"]!["accountUnitId"]![0]!.GetValue<string>(), Does.Contain("本局的账号不通过账号申请流程"));

        var declared = await ProblemAsync(await applicant.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "account-platform", form = AccountForm(new JsonObject { ["requestType"] = "new", ["accountUnitId"] = "mzj", ["unitKind"] = "secondary" }),
        }));
        Assert.That(declared["errors"]!["unitKind"], Is.Not.Null);

        var route = await ProblemAsync(await applicant.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "account-frontend", input = new JsonObject { ["accountRoute"] = "bureau" },
        }));
        Assert.That(route["code"]!.GetValue<string>(), Is.EqualTo("platform_value"));

        Assert.That(await CasesOfAsync("mzj.contact"), Is.EqualTo(before), "no case, no draft was written");
    }

    [Test]
    public async Task The_bureau_sees_the_contact_on_record_beside_the_forms_and_confirms_a_difference_before_it_issues()
    {
        var applicant = await _sessions.AsAsync("mzj.contact");
        var created = await applicant.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "account-platform", form = AccountForm(new JsonObject { ["requestType"] = "new", ["accountUnitId"] = "mzj" }),
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var draft = await created.JsonAsync();
        var id = draft["instanceId"]!.GetValue<Guid>();
        Assert.That((draft["form"]!["accountUnitName"]!.GetValue<string>(), draft["form"]!["reviewRoute"]!.GetValue<string>()),
            Is.EqualTo(("平顶山市民政局", "由市政务服务和大数据管理局审核办理。")));
        JsonObject file;
        using (var scan = new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 stamped"u8.ToArray()), "file", "申请单（盖章）.pdf" } })
            file = await (await applicant.PostAsync(Url($"/api/applications/{id}/attachments"), scan)).JsonAsync();
        var form = draft["form"]!.AsObject();
        form["stampedScan"] = new JsonObject { ["id"] = file["id"]!.DeepClone(), ["name"] = file["fileName"]!.DeepClone() };
        var submitted = await applicant.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new { form });
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await submitted.Content.ReadAsStringAsync());

        var admin = await _sessions.AsAsync("bureau.admin");
        var taskId = (await submitted.JsonAsync())["currentSteps"]!.AsArray().Single()!["taskId"]!.GetValue<Guid>();
        var task = await admin.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{taskId}"));
        Assert.That(task!["form"]!["contactDiffers"]!.GetValue<bool>(), Is.True, "the form's 139 3750 0001 is nobody's on record");
        Assert.That(task["form"]!["recordContact"]!.GetValue<string>(), Does.Contain("13903750016").And.Contain("mzj.contact@example.gov.cn"));
        Assert.That(task["fieldPermissions"]!["fields"]!["contactCheck"]!.GetValue<string>(), Is.EqualTo("editable"));

        var unconfirmed = await ProblemAsync(await admin.PostAsJsonAsync(Url($"/api/tasks/{taskId}/approve"), new { comment = "办理" }));
        Assert.That(unconfirmed["errors"]!["contactCheck"], Is.Not.Null);
        var confirmed = await admin.PostAsJsonAsync(Url($"/api/tasks/{taskId}/approve"), new { comment = "已电话核实", form = new { contactCheck = "confirmed" } });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_catalog_update_is_started_over_the_api_by_the_providers_cataloger_for_its_published_entry_and_is_due_ten_working_days_after_the_change()
    {
        var contact = await _sessions.AsAsync("rsj.contact");
        var listed = await contact.GetFromJsonAsync<JsonArray>(Url("/api/applications/processes"));
        Assert.That(listed!.Select(p => p!["definitionId"]!.GetValue<string>()), Does.Not.Contain("catalog-change"));
        Assert.That((await ProblemAsync(await contact.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "catalog-change" })))["code"]!.GetValue<string>(),
            Is.EqualTo("process_not_startable"));

        var cataloger = await _sessions.AsAsync("rsj.cataloger");
        Assert.That((await cataloger.GetFromJsonAsync<JsonArray>(Url("/api/applications/processes")))!.Select(p => p!["definitionId"]!.GetValue<string>()),
            Does.Contain("catalog-change"));
        var entries = (await cataloger.GetFromJsonAsync<JsonObject>(Url("/api/catalog/entries?pageSize=100")))!["items"]!.AsArray()
            .Select(i => i!["version"]!).ToList();
        var own = entries.Single(v => v["providerOrgUnitId"]!.GetValue<string>() == "rsj")["entryId"]!.GetValue<Guid>();
        var others = entries.First(v => v["providerOrgUnitId"]!.GetValue<string>() == "gaj")["entryId"]!.GetValue<Guid>();
        var before = await CasesOfAsync("rsj.cataloger");
        JsonObject Request(Guid entry, string changedOn) => new()
        {
            ["catalogEntryId"] = entry.ToString(), ["changeKind"] = "function", ["changeBasis"] = "就业服务职能调整，信息项需增加“就业困难人员类别”", ["changeOccurredOn"] = changedOn,
        };

        var another = await ProblemAsync(await cataloger.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "catalog-change", form = Request(others, "2026-03-04") }));
        Assert.That(another["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "catalogEntryId" }));
        var provider = await ProblemAsync(await cataloger.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "catalog-change", input = new JsonObject { ["providerOrgUnitId"] = "gaj" }, form = Request(own, "2026-03-04"),
        }));
        Assert.That(provider["code"]!.GetValue<string>(), Is.EqualTo("platform_value"));
        var today = DateOnly.FromDateTime(_factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(Beijing).DateTime);
        var future = await ProblemAsync(await cataloger.PostAsJsonAsync(Url("/api/applications"), new
        {
            definitionId = "catalog-change", form = Request(own, today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        }));
        Assert.That(future["errors"]!["changeOccurredOn"], Is.Not.Null);
        Assert.That(await CasesOfAsync("rsj.cataloger"), Is.EqualTo(before), "the refusals wrote nothing");

        // The function changed Wed 2026-03-04: ten working days after it end Wed 2026-03-18, whenever the request is filed.
        var created = await cataloger.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "catalog-change", form = Request(own, "2026-03-04") });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var draft = await created.JsonAsync();
        Assert.That((draft["form"]!["resourceName"]!.GetValue<string>(), draft["form"]!["updateDueOn"]!.GetValue<string>()), Is.EqualTo(("就业信息", "2026-03-18")));
        var id = draft["instanceId"]!.GetValue<Guid>();
        var submitted = await cataloger.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new { form = draft["form"] });
        var tracked = await submitted.JsonAsync();
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), tracked.ToJsonString());
        Assert.That(tracked["currentSteps"]!.AsArray().Single()!["title"]!.GetValue<string>(), Does.Contain("2026-03-18"));

        var entry = await cataloger.GetFromJsonAsync<JsonObject>(Url($"/api/catalog/entries/{own}"));
        var inProgress = entry!["entry"]!["inProgress"]!;
        Assert.That(inProgress["number"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(DateTimeOffset.Parse(inProgress["updateDueAt"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            Is.EqualTo(new DateTimeOffset(2026, 3, 18, 23, 59, 59, Beijing)));
        Assert.That(inProgress["revisionReason"]!.GetValue<string>(), Does.StartWith("行政管理职能变化：就业服务职能调整"));
    }

    [Test]
    public async Task A_late_objection_is_accepted_marked_on_the_providers_task_and_counted_in_the_bureaus_statistics()
    {
        var reporter = await _sessions.AsAsync("rsj.contact");
        var report = FormExamples.ObjectionReport();
        foreach (var key in new[] { "resourceName", "providerDepartment", "reporterDepartment", "reporterDepartmentCode", "reportedOn" }) report.Remove(key);
        report["resourceCode"] = "10200101/0001";
        report["discoveredOn"] = "2026-03-02";
        var created = await reporter.PostAsJsonAsync(Url("/api/applications"), new { definitionId = "objection", form = report });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["instanceId"]!.GetValue<Guid>();
        var submitted = await reporter.PostAsJsonAsync(Url($"/api/applications/{id}/submit"), new { form = report });
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await submitted.Content.ReadAsStringAsync());
        var today = DateOnly.FromDateTime(_factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(Beijing).DateTime)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var provider = await _sessions.AsAsync("scjgj.approver");
        var todo = await provider.GetFromJsonAsync<JsonObject>(Url("/api/tasks/todo"));
        var task = todo!["items"]!.AsArray().Single(t => t!["instanceId"]!.GetValue<Guid>() == id)!;
        Assert.That(task["title"]!.GetValue<string>(), Does.Contain("逾期反馈"));
        var detail = await provider.GetFromJsonAsync<JsonObject>(Url($"/api/tasks/{task["id"]!.GetValue<Guid>()}"));
        Assert.That((detail!["form"]!["lateReport"]!.GetValue<bool>(), detail["form"]!["reportedOn"]!.GetValue<string>(), detail["form"]!["reportDeadline"]!.GetValue<string>()),
            Is.EqualTo((true, today, "2026-03-03")));

        var bureau = await _sessions.AsAsync("bureau.data");
        var statistics = await bureau.GetFromJsonAsync<JsonObject>(Url($"/api/statistics/objections?from={today}&to={today}"));
        Assert.That((statistics!["reported"]!.GetValue<int>(), statistics["late"]!.GetValue<int>()), Is.EqualTo((1, 1)));
        var counted = statistics["cases"]!.AsArray().Single()!;
        Assert.That((counted["instanceId"]!.GetValue<Guid>(), counted["late"]!.GetValue<bool>(), counted["providerName"]!.GetValue<string>()),
            Is.EqualTo((id, true, "平顶山市市场监督管理局")));
        var csv = await bureau.GetAsync(Url($"/api/statistics/objections?from={today}&to={today}&format=csv"));
        Assert.That(await csv.Content.ReadAsStringAsync(), Does.Contain("是否逾期反馈").And.Contain("营业执照"));
        Assert.That((await reporter.GetAsync(Url($"/api/statistics/objections?from={today}&to={today}"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
    [Test]
    public async Task A_new_form_shows_what_the_platform_will_fill_from_its_records_before_anything_is_saved()
    {
        var applicant = await _sessions.AsAsync("yx-wjw.contact");
        var before = await CasesOfAsync("yx-wjw.contact");

        // What the applicant claims about the provider and the share type is not what is shown: the catalog is.
        var response = await applicant.PostAsJsonAsync(Url("/api/applications/platform-fields"), new
        {
            definitionId = "subscription",
            form = new JsonObject { ["resourceCode"] = "10100101/0001", ["providerDepartment"] = "平顶山市市场监督管理局", ["shareType"] = "1" },
        });
        var fields = await response.JsonAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), fields.ToJsonString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fields["providerDepartment"]!.GetValue<string>(), Is.EqualTo("平顶山市公安局"));
            Assert.That(fields["resourceName"]!.GetValue<string>(), Is.EqualTo("居民身份证信息"));
            Assert.That(fields["userDepartmentName"]!.GetValue<string>(), Is.EqualTo("叶县卫生健康委员会"));
            Assert.That(fields.ContainsKey("requestedFields"), Is.False, "only the platform's fields");
        }

        var notStartable = await ProblemAsync(await applicant.PostAsJsonAsync(Url("/api/applications/platform-fields"), new { definitionId = "catalog-municipal", form = new JsonObject() }));
        Assert.That(notStartable["code"]!.GetValue<string>(), Is.EqualTo("process_not_startable"));
        Assert.That(await CasesOfAsync("yx-wjw.contact"), Is.EqualTo(before), "a preview starts nothing");
    }
}

