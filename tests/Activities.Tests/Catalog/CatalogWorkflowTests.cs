using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Activities.Tests.Catalog;

/// <summary>The Pds.Catalog.* activities inside real workflow bursts: their catalog changes commit or roll back with the burst.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogWorkflowTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    private const string GajCode = "11410400MB0A10013G";

    [Test]
    public async Task Catalog_activities_commit_with_their_burst_and_record_the_step_that_made_the_change()
    {
        var code = NextCode();
        var definition = new DefinitionBuilder(UniqueId("cat-submit"))
            .Add("start", "Start")
            .Add("save", "Pds.Catalog.SaveDraft", ("providerOrgUnitId", Literal(Mzj)), ("data", Js("input.form")))
            .Add("submit", "Pds.Catalog.Submit", ("entryId", Js("outputs.save.catalogEntryId")), ("comment", Literal("请编审")))
            .Add("end", "End")
            .Chain("start", "save", "submit", "end")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId, new JsonObject { ["form"] = EntryData(code) });

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished));
        var entry = await Catalog.FindByResourceCodeAsync(code) ?? throw new AssertionException("the entry was not committed");
        Assert.That(entry.InProgress?.Status, Is.EqualTo(CatalogStatus.InReview));
        var history = await Catalog.GetHistoryAsync(entry.EntryId);
        Assert.That(history.Select(h => (h.Action, h.Actor, h.InstanceId, h.ActivityId, h.Reason)), Is.EqualTo(new (CatalogAction, string, Guid?, string?, string?)[]
        {
            (CatalogAction.Created, "applicant", run.InstanceId, "save", null),
            (CatalogAction.Submitted, "applicant", run.InstanceId, "submit", "请编审"),
        }));
        var outputs = (await Queries.GetInstanceAsync(run.InstanceId))!.Outputs;
        Assert.That(outputs["save"]?["catalogEntryId"]?.GetValue<string>(), Is.EqualTo(entry.EntryId.ToString()));
        Assert.That(outputs["submit"]?["status"]?.GetValue<string>(), Is.EqualTo("InReview"));
        Assert.That(outputs["submit"]?["resourceCode"]?.GetValue<string>(), Is.EqualTo(code));
    }

    [Test]
    public async Task A_burst_whose_transaction_rolls_back_leaves_no_catalog_change()
    {
        var code = NextCode();
        var definition = new DefinitionBuilder(UniqueId("cat-rollback"))
            .Add("start", "Start")
            .Add("save", "Pds.Catalog.SaveDraft", ("providerOrgUnitId", Literal(Mzj)), ("data", Js("input.form")))
            .Add("submit", "Pds.Catalog.Submit", ("entryId", Js("outputs.save.catalogEntryId")))
            .Add("break", "Test.BreakTheBurst")
            .Add("end", "End")
            .Chain("start", "save", "submit", "break", "end")
            .Build();
        await PublishAsync(definition);
        var before = await CountRowsAsync();

        Assert.ThrowsAsync<DbUpdateException>(async () =>
            await Runtime.StartAsync(new StartWorkflowRequest(definition.DefinitionId) { Input = new JsonObject { ["form"] = EntryData(code) }, Initiator = "applicant" }));

        Assert.That(await Catalog.FindByResourceCodeAsync(code), Is.Null);
        Assert.That(Ok(await Catalog.SearchAsync(new CatalogQuery { AllVersions = true, Classification = code.Split('/')[0] })).Items
            .Where(i => i.ResourceCode == code), Is.Empty);
        Assert.That(await CountRowsAsync(), Is.EqualTo(before), "no catalog row of the burst outlived it");
    }

    [Test]
    public async Task An_activity_that_fails_after_changing_the_catalog_leaves_no_change_though_its_incident_is_recorded()
    {
        var draft = await CreateDraftAsync();
        var definition = new DefinitionBuilder(UniqueId("cat-fail"))
            .Add("start", "Start")
            .Add("fail", "Test.CatalogSubmitThenFail", ("entryId", Literal(draft.EntryId.ToString())))
            .Add("end", "End")
            .Chain("start", "fail", "end")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId);

        Assert.That(CatalogSubmitThenFail.Submitted.GetValueOrDefault(run.InstanceId), Is.True, "the submission happened inside the burst");
        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That((await Queries.GetIncidentsAsync(run.InstanceId)).Single().Message, Is.EqualTo("通知模板渲染失败"));
        Assert.That((await EntryAsync(draft.EntryId)).InProgress?.Status, Is.EqualTo(CatalogStatus.Draft));
        Assert.That((await Catalog.GetHistoryAsync(draft.EntryId)).Select(h => h.Action), Is.EqualTo(new[] { CatalogAction.Created }));
    }

    [Test]
    public async Task A_refused_move_completes_with_the_Refused_outcome_and_the_reason()
    {
        var draft = await CreateDraftAsync();
        var definition = new DefinitionBuilder(UniqueId("cat-refused"))
            .Add("start", "Start")
            .Add("publish", "Pds.Catalog.Publish", ("entryId", Literal(draft.EntryId.ToString())))
            .Add("published", "End")
            .Add("refused", "End", ("result", Js("outputs.publish.refusalReason")))
            .Chain("start", "publish")
            .Connect("publish:Done", "published")
            .Connect("publish:Refused", "refused")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId);

        Assert.That(run.Result?.GetValue<string>(), Is.EqualTo("目录“低保救济管理信息”第1版当前为“草稿”，不能发布（只有“已注册待审核”的版本可以发布）。"));
        var journal = await JournalAsync(run.InstanceId);
        Assert.That(journal.Single(j => j.ActivityId == "publish" && j.EventName == "ActivityCompleted").Outcome, Is.EqualTo(CatalogActivity.Refused));
        Assert.That(journal.Select(j => j.Message), Has.Some.StartsWith("资源目录未办理："));
        Assert.That((await EntryAsync(draft.EntryId)).InProgress?.Status, Is.EqualTo(CatalogStatus.Draft));
    }

    [Test]
    public async Task A_published_entry_is_withdrawn_and_revised_by_activities()
    {
        var published = await PublishedAsync();
        var entryId = ("entryId", Literal(published.EntryId.ToString()));
        var definition = new DefinitionBuilder(UniqueId("cat-revise"))
            .Add("start", "Start")
            .Add("withdraw", "Pds.Catalog.Withdraw", entryId, ("reason", Literal("职能划转")))
            .Add("revise", "Pds.Catalog.Revise", entryId, ("reason", Literal("职能划转后重新编目")),
                ("changeOccurredAt", Literal("2026-03-02T10:00:00+08:00")))
            .Add("end", "End")
            .Chain("start", "withdraw", "revise", "end")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId);

        var outputs = (await Queries.GetInstanceAsync(run.InstanceId))!.Outputs;
        Assert.That((outputs["withdraw"]?["status"]?.GetValue<string>(), outputs["revise"]?["status"]?.GetValue<string>(), outputs["revise"]?["version"]?.GetValue<int>()),
            Is.EqualTo(("Withdrawn", "Draft", 2)));
        var entry = await EntryAsync(published.EntryId);
        Assert.That(entry.Versions.Select(v => (v.Number, v.Status)), Is.EqualTo(new[] { (1, CatalogStatus.Withdrawn), (2, CatalogStatus.Draft) }));
        Assert.That(entry.InProgress?.UpdateDueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 16, 23, 59, 59, TimeSpan.FromHours(8))));
    }

    [Test]
    public async Task An_entry_id_that_is_not_one_is_refused()
    {
        var definition = new DefinitionBuilder(UniqueId("cat-bad-id"))
            .Add("start", "Start")
            .Add("submit", "Pds.Catalog.Submit", ("entryId", Literal("not-an-id")))
            .Add("end", "End", ("result", Js("outputs.submit.refusalCode")))
            .Chain("start", "submit")
            .Connect("submit:Refused", "end")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId);

        Assert.That(run.Result?.GetValue<string>(), Is.EqualTo("entry_id_invalid"));
    }

    [Test]
    public async Task Invalid_data_is_refused_with_the_field_errors_in_the_outputs()
    {
        var data = EntryData(NextCode());
        data.Remove("abstract");
        var definition = new DefinitionBuilder(UniqueId("cat-invalid"))
            .Add("start", "Start")
            .Add("save", "Pds.Catalog.SaveDraft", ("providerOrgUnitId", Literal(Mzj)), ("data", Js("input.form")))
            .Add("end", "End")
            .Connect("start", "save")
            .Connect("save:Refused", "end")
            .Build();
        await PublishAsync(definition);

        var run = await StartAsync(definition.DefinitionId, new JsonObject { ["form"] = data });

        var outputs = (await Queries.GetInstanceAsync(run.InstanceId))!.Outputs["save"]!;
        Assert.That(outputs["refusalCode"]?.GetValue<string>(), Is.EqualTo(CatalogErrors.FormInvalidCode));
        var error = outputs["fieldErrors"]!.AsArray().Single()!;
        Assert.That((error["field"]?.GetValue<string>(), error["code"]?.GetValue<string>(), error["message"]?.GetValue<string>()),
            Is.EqualTo(("abstract", "required", "信息资源摘要为必填项")));
    }

    [Test]
    public async Task The_P3_process_compiles_reviews_registers_publishes_and_mounts_through_human_steps()
    {
        var code = NextCode("34100101");
        var definition = CatalogProcess(UniqueId("cat-p3"));
        await PublishAsync(definition);
        var data = GajEntry(code);

        var run = Ok(await Runtime.StartAsync(new StartWorkflowRequest(definition.DefinitionId) { Initiator = "gaj.staff" }));
        await DecideAsync(run.InstanceId, "compile", "gaj.staff", approve: true, form: data);
        await DecideAsync(run.InstanceId, "review", "gaj.approver1", approve: false, comment: "摘要过于简单");
        data["abstract"] = "居民身份证的登记项目，用于办事人身份核验和数据校核。";
        await DecideAsync(run.InstanceId, "compile", "gaj.staff", approve: true, form: data);
        await DecideAsync(run.InstanceId, "review", "gaj.approver1", approve: true);
        await DecideAsync(run.InstanceId, "audit", "admin1", approve: false, comment: "共享范围不明确");
        data["shareScope"] = "市直和县区政务部门办理政务服务事项";
        await DecideAsync(run.InstanceId, "compile", "gaj.staff", approve: true, form: data);
        await DecideAsync(run.InstanceId, "review", "gaj.approver1", approve: true);
        await DecideAsync(run.InstanceId, "audit", "admin1", approve: true);
        await DecideAsync(run.InstanceId, "mountStep", "gaj.staff", approve: true, form: new JsonObject { ["mountedTableName"] = "T_GAJ_JMSFZ" });

        Assert.That((await Queries.GetInstanceAsync(run.InstanceId))?.Status, Is.EqualTo(WorkflowStatus.Finished));
        var entry = await Catalog.FindByResourceCodeAsync(code) ?? throw new AssertionException("no entry");
        Assert.That((entry.Published?.Number, entry.Published?.Data["shareScope"]?.GetValue<string>()), Is.EqualTo(((int?)1, "市直和县区政务部门办理政务服务事项")));
        Assert.That(entry.Mounts.Select(m => m.Target), Is.EqualTo(new[] { "T_GAJ_JMSFZ" }));
        var history = await Catalog.GetHistoryAsync(entry.EntryId);
        Assert.That(history.Select(h => (h.Action, h.Actor)), Is.EqualTo(new (CatalogAction, string)[]
        {
            (CatalogAction.Created, "gaj.staff"),
            (CatalogAction.Submitted, "gaj.staff"),
            (CatalogAction.ReviewReturned, "gaj.approver1"),
            (CatalogAction.Edited, "gaj.staff"),
            (CatalogAction.Submitted, "gaj.staff"),
            (CatalogAction.Registered, "gaj.approver1"),
            (CatalogAction.RegistrationReturned, "admin1"),
            (CatalogAction.Reopened, "admin1"),
            (CatalogAction.Edited, "gaj.staff"),
            (CatalogAction.Submitted, "gaj.staff"),
            (CatalogAction.Registered, "gaj.approver1"),
            (CatalogAction.Published, "admin1"),
            (CatalogAction.Mounted, "gaj.staff"),
        }));
        Assert.That(history.Where(h => h.Action is CatalogAction.ReviewReturned or CatalogAction.RegistrationReturned).Select(h => h.Reason),
            Is.EqualTo(new[] { "摘要过于简单", "共享范围不明确" }));
        Assert.That(history.Select(h => h.InstanceId), Has.All.EqualTo(run.InstanceId));
    }

    /// <summary>
    /// P3 as a definition: the cataloger compiles (the mount fields read-only), the department admin reviews, the platform
    /// admin audits the registration, the department mounts the published entry. Returns go back to compiling.
    /// </summary>
    private static Workflows.Definitions.WorkflowDefinition CatalogProcess(string id)
    {
        var entryId = ("entryId", Js("variables.catalogEntryId"));
        var compile = JsonNode.Parse("""{"default":"editable","fields":{"mountedTableName":"readOnly","mountedFiles":"readOnly","mountedApiName":"readOnly"}}""")!.AsObject();
        var mount = JsonNode.Parse("""{"default":"readOnly","fields":{"mountedTableName":"editable"}}""")!.AsObject();
        return new DefinitionBuilder(id)
            .Variable("catalogEntryId")
            .Add("start", "Start")
            .UserTask("compile", HumanSteps.Initiator(), form: CatalogFields.FormId, permissions: compile)
            .Add("save", "Pds.Catalog.SaveDraft", ("entryId", Js("variables.catalogEntryId")), ("providerOrgUnitId", Literal(TestOrganization.PublicSecurity)),
                ("data", Js("variables.form")))
            .Add("remember", "SetVariable", ("variable", Literal("catalogEntryId")), ("value", Js("outputs.save.catalogEntryId")))
            .Add("submit", "Pds.Catalog.Submit", entryId)
            .UserTask("review", HumanSteps.Users("gaj.approver1"))
            .Add("returnReview", "Pds.Catalog.ReturnFromReview", entryId, ("reason", Js("outputs.review.comment")))
            .Add("register", "Pds.Catalog.Register", entryId)
            .UserTask("audit", HumanSteps.Users("admin1"))
            .Add("returnRegistration", "Pds.Catalog.Return", entryId, ("problems", Js("[outputs.audit.comment]")))
            .Add("reopen", "Pds.Catalog.Reopen", entryId)
            .Add("publish", "Pds.Catalog.Publish", entryId)
            .UserTask("mountStep", HumanSteps.Initiator(), form: CatalogFields.FormId, permissions: mount)
            .Add("mount", "Pds.Catalog.Mount", entryId, ("kind", Literal("table")), ("tableName", Js("variables.form.mountedTableName")))
            .Add("end", "End")
            .Chain("start", "compile")
            .Connect("compile:Approve", "save")
            .Connect("save:Done", "remember")
            .Chain("remember", "submit")
            .Connect("submit:Done", "review")
            .Connect("review:Reject", "returnReview")
            .Connect("returnReview:Done", "compile")
            .Connect("review:Approve", "register")
            .Connect("register:Done", "audit")
            .Connect("audit:Reject", "returnRegistration")
            .Connect("returnRegistration:Done", "reopen")
            .Connect("reopen:Done", "compile")
            .Connect("audit:Approve", "publish")
            .Connect("publish:Done", "mountStep")
            .Connect("mountStep:Approve", "mount")
            .Connect("mount:Done", "end")
            .Build();
    }

    private static JsonObject GajEntry(string code)
    {
        var data = EntryData(code, "居民身份证信息");
        data["providerName"] = "市公安局";
        data["providerCode"] = GajCode;
        data["abstract"] = "居民身份证登记项目。";
        return data;
    }

    private async Task DecideAsync(Guid instanceId, string activityId, string actor, bool approve, string? comment = null, JsonObject? form = null)
    {
        var task = (await Inbox.TasksOfInstanceAsync(instanceId)).Single(t => t.ActivityId == activityId && TaskStatuses.IsActive(t.Status));
        var result = approve
            ? await Tasks.ApproveAsync(task.Id, actor, comment, form)
            : await Tasks.RejectAsync(task.Id, actor, comment, form);
        Ok(result);
    }

    private async Task<(int Entries, int Versions, int Audit)> CountRowsAsync()
    {
        await using var catalog = Services.GetRequiredService<CatalogDatabase>().CreateContext();
        return (await catalog.Entries.CountAsync(), await catalog.Versions.CountAsync(), await catalog.Audit.CountAsync());
    }
}
