using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>P3: compile → review → register → platform audit → publish → mount, with returns, on the real catalog module.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogProcessTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private CatalogService Catalog => Services.GetRequiredService<CatalogService>();

    private static JsonObject Entry(string code)
    {
        var form = FormExamples.CatalogEntry();
        form.Remove("mountedTableName");
        form["resourceCode"] = code;
        form["providerName"] = "平顶山市人力资源和社会保障局";
        return form;
    }

    private async Task<Guid> CompileAsync(string definition, string cataloger, string unit, JsonObject form)
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest(definition) { Initiator = cataloger, Input = new JsonObject { ["providerOrgUnitId"] = unit } });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        var compile = await StepAsync(run.Value.InstanceId, "compile");
        Assert.That(compile.AssigneeId, Is.EqualTo(cataloger));
        Ok(await Tasks.ApproveAsync(compile.Id, cataloger, "编目完成", form));
        return run.Value.InstanceId;
    }

    private async Task<CatalogEntryView> EntryOfAsync(Guid instance)
    {
        var id = Guid.Parse((await Queries.GetInstanceAsync(instance))!.Variables["catalogEntryId"]!.GetValue<string>());
        return (await Catalog.GetAsync(id))!;
    }

    [Test]
    public async Task A_registration_returned_by_the_platform_goes_to_the_department_admin_with_its_problems_and_a_notice()
    {
        var instance = await CompileAsync("catalog-municipal", "rsj.cataloger", TestOrganization.HumanResources, Entry("34140005/0101"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "review")).Id, "rsj.admin", "编审通过"));
        Assert.That((await EntryOfAsync(instance)).Versions.Last().Status, Is.EqualTo(CatalogStatus.Registered));

        // 000 目录资源发布流程 三(二)2: 审核不通过，由平台管理员操作注册退回，并将发现的问题反馈至业务单位部门管理员.
        Ok(await Tasks.RejectAsync((await StepAsync(instance, "audit")).Id, "admin1",
            "信息项“家庭主要成员月收入”长度与源系统不一致\n共享条件未写明使用范围"));

        var returned = await StepAsync(instance, "fixReturned");
        Assert.That((returned.AssigneeId, returned.OrgUnitId), Is.EqualTo(("rsj.admin", TestOrganization.HumanResources)), "the department admin, not the cataloger");
        var version = (await EntryOfAsync(instance)).Versions.Last();
        Assert.That(version.Status, Is.EqualTo(CatalogStatus.Draft), "returned, then reopened for the admin to correct");
        var entry = (await Catalog.GetAsync((await EntryOfAsync(instance)).EntryId))!;
        var history = await Catalog.GetHistoryAsync(entry.EntryId);
        Assert.That(history.Single(h => h.ToStatus == CatalogStatus.Returned).Reason, Does.Contain("长度与源系统不一致").And.Contain("使用范围"));
        var notices = await NoticesAsync(instance, "notify.case");
        Assert.That(notices.Select(n => n["user"]?.GetValue<string>()), Is.EqualTo(new[] { "rsj.admin" }));
        Assert.That(notices[0]["body"]!.GetValue<string>(), Does.Contain("1. 信息项“家庭主要成员月收入”长度与源系统不一致").And.Contain("2. 共享条件未写明使用范围"));

        var corrected = Entry("34140005/0101");
        corrected["abstract"] = "全市城乡最低生活保障对象的家庭成员、收入与救助金发放信息（已按平台意见修改）。";
        Ok(await Tasks.ApproveAsync(returned.Id, "rsj.admin", "已按问题修改", corrected));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "review")).Id, "rsj.admin", null));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "audit")).Id, "admin2", "审核通过"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "publishStep")).Id, "rsj.admin", "发布"));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "mountStep")).Id, "rsj.cataloger", "挂接前置库表",
            new JsonObject { ["mountedTableName"] = "T_DBJZ_GLXX" }));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"published")));
        var published = await EntryOfAsync(instance);
        Assert.That(published.Published!.Data["abstract"]!.GetValue<string>(), Does.Contain("已按平台意见修改"));
        Assert.That(published.Mounts.Select(m => (m.Kind, m.Target)), Is.EqualTo(new[] { (CatalogMountKind.Table, "T_DBJZ_GLXX") }));
        Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
    }

    private async Task<IReadOnlyList<JsonObject>> NoticesAsync(Guid instance, string type)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return (await db.Outbox.AsNoTracking().Where(m => m.InstanceId == instance && m.Type == type).ToListAsync())
            .Select(m => JsonNode.Parse(m.PayloadJson)!.AsObject()).ToList();
    }

    [Test]
    public async Task A_review_return_sends_the_entry_back_to_the_cataloger_as_a_draft()
    {
        var instance = await CompileAsync("catalog-municipal", "rsj.cataloger", TestOrganization.HumanResources, Entry("34140005/0102"));

        Ok(await Tasks.RejectAsync((await StepAsync(instance, "review")).Id, "rsj.admin", "摘要过于简略"));

        Assert.That((await StepAsync(instance, "compile")).AssigneeId, Is.EqualTo("rsj.cataloger"));
        Assert.That((await EntryOfAsync(instance)).Versions.Last().Status, Is.EqualTo(CatalogStatus.Draft));
    }

    [Test]
    public async Task An_invalid_entry_cannot_leave_the_compile_step()
    {
        var run = await Runtime.StartAsync(new StartWorkflowRequest("catalog-municipal")
        {
            Initiator = "rsj.cataloger",
            Input = new JsonObject { ["providerOrgUnitId"] = TestOrganization.HumanResources },
        });
        var compile = await StepAsync(run.Value.InstanceId, "compile");
        var bad = Entry("34140005/0103");
        bad["shareType"] = 3;
        bad.Remove("shareLegalBasis");

        var refused = await Tasks.ApproveAsync(compile.Id, "rsj.cataloger", null, bad);

        Assert.That(refused.Error?.Code, Is.EqualTo("form_invalid"));
        Assert.That(refused.Error!.Errors.Select(e => e.Input), Does.Contain("shareLegalBasis"));
        Assert.That((await OpenAsync(run.Value.InstanceId)).Single().Id, Is.EqualTo(compile.Id));
    }

    [Test]
    public async Task A_county_entry_is_reviewed_by_the_county_data_authority_before_registration()
    {
        var instance = await CompileAsync("catalog-county", "yx.cataloger", TestOrganization.YeCountyHealth, Entry("34140005/0104"));
        var review = await StepAsync(instance, "review");
        Assert.That(review.AssigneeId, Is.EqualTo("yx.wjw.admin"));
        Ok(await Tasks.ApproveAsync(review.Id, "yx.wjw.admin", null));

        var county = await StepAsync(instance, "countyReview");
        Assert.That(county.AssigneeId, Is.EqualTo("yx.admin"));
        Ok(await Tasks.ApproveAsync(county.Id, "yx.admin", "同意注册"));
        Assert.That((await OpenAsync(instance)).Single().ActivityId, Is.EqualTo("audit"));
    }

    private async Task<Guid> PublishedAsync(string unit, string code, string actor)
    {
        var created = Ok(await Catalog.CreateAsync(unit, Entry(code), actor));
        Ok(await Catalog.SubmitAsync(created.EntryId, actor));
        Ok(await Catalog.RegisterAsync(created.EntryId, actor));
        Ok(await Catalog.PublishAsync(created.EntryId, actor));
        return created.EntryId;
    }

    private static JsonObject ChangeRequest(Guid entryId, string changedOn) => new()
    {
        ["catalogEntryId"] = entryId.ToString(), ["changeKind"] = "law", ["changeBasis"] = "《社会救助暂行办法》修订，低保对象认定条件调整", ["changeOccurredOn"] = changedOn,
    };

    [Test]
    public async Task A_catalog_change_is_due_ten_working_days_after_the_law_changed_and_supersedes_the_published_version()
    {
        var entryId = await PublishedAsync(TestOrganization.HumanResources, "34140005/0105", "rsj.admin");

        // The law changed Wed 2026-03-04; the department asks on Mon 03-09: ten working days from the change end Wed 03-18.
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("catalog-change", "rsj.cataloger", ChangeRequest(entryId, "2026-03-04"));

        var state = (await Queries.GetInstanceAsync(instance))!;
        Assert.That(state.Variables["providerOrgUnitId"]!.GetValue<string>(), Is.EqualTo(TestOrganization.HumanResources));
        Assert.That(DateTimeOffset.Parse(state.Variables["updateDueAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(new DateTimeOffset(2026, 3, 18, 23, 59, 59, Beijing)));
        var draft = (await Catalog.GetAsync(entryId))!.InProgress!;
        Assert.That((draft.Number, draft.UpdateDueAt), Is.EqualTo((2, (DateTimeOffset?)new DateTimeOffset(2026, 3, 18, 23, 59, 59, Beijing))));
        Assert.That(draft.RevisionReason, Does.StartWith("法律法规修订：《社会救助暂行办法》修订"));
        var update = await StepAsync(instance, "compile");
        Assert.That(update.Title, Does.Contain("2026-03-18"));
        Assert.That(state.Variables["form"]!["resourceCode"]!.GetValue<string>(), Is.EqualTo("34140005/0105"), "the compile step starts from the published data");

        var changed = Entry("34140005/0105");
        changed["abstract"] = "全市城乡最低生活保障对象的家庭成员、收入、救助金发放和动态复核信息。";
        Ok(await Tasks.ApproveAsync(update.Id, "rsj.cataloger", "已更新摘要", changed));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "review")).Id, "rsj.admin", null));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "audit")).Id, "admin1", null));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "publishStep")).Id, "rsj.admin", null));
        Ok(await Tasks.RejectAsync((await StepAsync(instance, "mountStep")).Id, "rsj.cataloger", "挂接不变"));

        Assert.That((await OutcomeAsync(instance)).Result, Is.EqualTo("published"));
        var entry = (await Catalog.GetAsync(entryId))!;
        Assert.That(entry.Versions.Select(v => (v.Number, v.Status)), Is.EqualTo(new[] { (1, CatalogStatus.Superseded), (2, CatalogStatus.Published) }));
        Assert.That(entry.Published!.Data["abstract"]!.GetValue<string>(), Does.Contain("动态复核"));
    }

    private static IEnumerable<TestCaseData> RefusedChanges()
    {
        yield return new TestCaseData("rsj.cataloger", "gaj", true, "2026-03-02", "catalogEntryId", "notProvider")
            .SetName("A catalog change of another unit's entry is refused");
        yield return new TestCaseData("rsj.applicant", "rsj", true, "2026-03-02", "catalogEntryId", "notProvider")
            .SetName("A catalog change asked by someone who is neither cataloger nor department admin is refused");
        yield return new TestCaseData("rsj.cataloger", "rsj", false, "2026-03-02", "catalogEntryId", "notPublished")
            .SetName("A catalog change of an entry never published is refused");
        yield return new TestCaseData("rsj.cataloger", "rsj", true, "2026-03-03", "changeOccurredOn", "futureDate")
            .SetName("A catalog change dated after today is refused");
    }

    [TestCaseSource(nameof(RefusedChanges))]
    public async Task A_catalog_change_the_records_do_not_allow_is_refused_on_submission_and_nothing_is_written(string applicant, string unit, bool published,
        string changedOn, string field, string code)
    {
        var entryUser = unit == "gaj" ? "gaj.admin" : "rsj.admin";
        var code12 = $"34140005/{Interlocked.Increment(ref _codes) + 600:D4}";
        var entryId = published
            ? await PublishedAsync(unit, code12, entryUser)
            : Ok(await Catalog.CreateAsync(unit, Entry(code12), entryUser)).EntryId;
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var run = await Runtime.StartAsync(new StartWorkflowRequest("catalog-change") { Initiator = applicant });
        var request = (await OpenAsync(run.Value.InstanceId)).Single();
        var journal = (await JournalAsync(run.Value.InstanceId)).Count;

        var refused = await Tasks.ApproveAsync(request.Id, applicant, null, ChangeRequest(entryId, changedOn));

        Assert.That(refused.Error!.Errors.Select(e => (e.Input, e.Code)), Is.EqualTo(new[] { (field, (string?)code) }));
        Assert.That((await OpenAsync(run.Value.InstanceId)).Single().Id, Is.EqualTo(request.Id));
        Assert.That((await JournalAsync(run.Value.InstanceId)).Count, Is.EqualTo(journal), "a refusal journals nothing");
        var state = (await Queries.GetInstanceAsync(run.Value.InstanceId))!;
        Assert.That((state.Variables["catalogEntryId"], state.Variables["providerOrgUnitId"]), Is.EqualTo((default(JsonNode), default(JsonNode))));
        Assert.That((await Catalog.GetAsync(entryId))!.Versions, Has.Count.EqualTo(1), "no version was opened");
    }

    private static int _codes;

    /// <summary>Compile, review, register and the platform's audit: the entry is Registered and waits at 部门发布.</summary>
    private async Task<Guid> ThroughAuditAsync(string code, string shareMethodType = "table")
    {
        var form = Entry(code);
        form["shareMethodType"] = shareMethodType;
        var instance = await CompileAsync("catalog-municipal", "rsj.cataloger", TestOrganization.HumanResources, form);
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "review")).Id, "rsj.admin", null));
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "audit")).Id, "admin1", null));
        return instance;
    }

    [Test]
    public async Task A_department_that_declines_to_publish_leaves_the_entry_registered_and_unpublished()
    {
        var instance = await ThroughAuditAsync("34140005/0106");

        Assert.That((await Tasks.RejectAsync((await StepAsync(instance, "publishStep")).Id, "rsj.admin", null)).Error?.Code, Is.EqualTo("reason_required"));
        Ok(await Tasks.RejectAsync((await StepAsync(instance, "publishStep")).Id, "rsj.admin", "待数据治理完成后再发布"));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"registered")));
        var entry = await EntryOfAsync(instance);
        Assert.That(entry.Versions.Last().Status, Is.EqualTo(CatalogStatus.Registered));
        Assert.That(entry.Published, Is.Null);
        Assert.That(entry.Mounts, Is.Empty);
    }

    [Test]
    public async Task A_refused_mount_comes_back_to_the_mount_step_with_the_reason_and_a_file_folder_then_mounts()
    {
        var instance = await ThroughAuditAsync("34140005/0107", "file");
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "publishStep")).Id, "rsj.admin", null));
        var files = new JsonArray(new JsonObject { ["fileName"] = "低保名册.xls", ["description"] = "按月更新" });

        var first = await StepAsync(instance, "mountStep");
        Ok(await Tasks.ApproveAsync(first.Id, "rsj.cataloger", "挂接文件", new JsonObject { ["mountedFiles"] = files.DeepClone() }));

        var again = await StepAsync(instance, "mountStep");
        Assert.That(again.Id, Is.Not.EqualTo(first.Id), "the refusal opens the mount step again");
        Assert.That((await EntryOfAsync(instance)).Mounts, Is.Empty, "nothing half-mounted");
        var journal = await JournalAsync(instance);
        Assert.That(journal.Any(j => j.Message?.Contains("挂接文件夹为必填项", StringComparison.Ordinal) == true), Is.True,
            string.Join(" | ", journal.Select(j => j.Message + " " + j.Outputs?.ToJsonString())));

        Ok(await Tasks.ApproveAsync(again.Id, "rsj.cataloger", "补填文件夹",
            new JsonObject { ["mountedFiles"] = files.DeepClone(), ["mountedFolder"] = "/rsj/dbmc/" }));

        Assert.That(await OutcomeAsync(instance), Is.EqualTo((WorkflowStatus.Finished, (string?)"published")));
        var mount = (await EntryOfAsync(instance)).Mounts.Single();
        Assert.That((mount.Kind, mount.Target, mount.Files.Single().FileName), Is.EqualTo((CatalogMountKind.File, "/rsj/dbmc", "低保名册.xls")));
    }

    [Test]
    public async Task An_interface_is_mounted_with_its_address_and_a_bad_or_internal_address_is_refused_first()
    {
        var instance = await ThroughAuditAsync("34140005/0108", "api");
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "publishStep")).Id, "rsj.admin", null));

        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "mountStep")).Id, "rsj.cataloger", null,
            new JsonObject { ["mountedApiName"] = "低保对象查询", ["mountedApiEndpoint"] = "ftp://10.1.2.3/dbdx" }));
        Assert.That((await JournalAsync(instance)).Any(j => j.Message?.Contains("服务接口地址应为", StringComparison.Ordinal) == true), Is.True);

        // A private address is not listed in Gateway:AllowedUpstreams here: the gateway may not call it (SSRF).
        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "mountStep")).Id, "rsj.cataloger", null,
            new JsonObject { ["mountedApiName"] = "低保对象查询", ["mountedApiEndpoint"] = "http://10.1.2.3:8080/api/dbdx" }));
        Assert.That((await JournalAsync(instance)).Any(j => j.Message?.Contains("内部网络地址 10.1.2.3", StringComparison.Ordinal) == true), Is.True);
        Assert.That((await EntryOfAsync(instance)).Mounts, Is.Empty);

        Ok(await Tasks.ApproveAsync((await StepAsync(instance, "mountStep")).Id, "rsj.cataloger", null,
            new JsonObject { ["mountedApiName"] = "低保对象查询", ["mountedApiEndpoint"] = "http://59.207.88.20:8080/api/dbdx" }));

        var mount = (await EntryOfAsync(instance)).Mounts.Single();
        Assert.That((mount.Kind, mount.Name, mount.Target), Is.EqualTo((CatalogMountKind.Api, "低保对象查询", "http://59.207.88.20:8080/api/dbdx")));
    }
}
