using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Host.Tests;

/// <summary>The designer's endpoints for workflow admins and the auditor's, over HTTP with real sign-in.</summary>
public sealed class DesignerAuditTests
{
    private const string Password = "Pds2026demo";
    private HostFactory _factory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new HostFactory();
        _ = _factory.CreateClient();
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        db.OrgUnits.Add(new OrgUnitRecord { Id = "bureau", Name = "市政务服务和大数据管理局", Kind = OrgUnitKinds.Bureau, RegionCode = "410400" });
        foreach (var (id, role) in new[] { ("designer", Roles.WorkflowAdmin), ("auditor", Roles.Auditor), ("clerk", Roles.DataContact) })
        {
            var user = new UserRecord { Id = id, DisplayName = $"{id} 的姓名", OrgUnitId = "bureau", CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
            user.PasswordHash = PasswordPolicy.Hash(Password);
            db.Users.Add(user);
            db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role, OrgUnitId = "bureau" });
        }

        await db.SaveChangesAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _factory.DisposeAsync();

    private Task<HttpClient> SignedInAsync(string user) => _factory.SignedInAsync(user, Password);

    private static string Definition(string id, string eventName, bool withReview = false) => new JsonObject
    {
        ["definitionId"] = id,
        ["name"] = "测试流程",
        ["root"] = new JsonObject
        {
            ["type"] = "Flowchart",
            ["activities"] = withReview
                ? new JsonArray(Start(), Wait(eventName), new JsonObject { ["id"] = "check", ["type"] = "Decision" }, new JsonObject { ["id"] = "end", ["type"] = "End" })
                : new JsonArray(Start(), Wait(eventName), new JsonObject { ["id"] = "end2", ["type"] = "End" }),
            ["connections"] = withReview
                ? new JsonArray(Connection("start", "Done", "wait"), Connection("wait", "Done", "check"), Connection("check", "True", "end"), Connection("check", "False", "end"))
                : new JsonArray(Connection("start", "Done", "wait"), Connection("wait", "Done", "end2")),
        },
    }.ToJsonString();

    private static JsonObject Start() => new() { ["id"] = "start", ["type"] = "Start" };

    private static JsonObject Wait(string eventName) => new()
    {
        ["id"] = "wait", ["type"] = "WaitForEvent", ["name"] = "等待事件",
        ["eventName"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = eventName } },
    };

    private static JsonObject Connection(string source, string port, string target) => new()
    {
        ["source"] = new JsonObject { ["activity"] = source, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Uri U(string path) => new(path, UriKind.Relative);

    [Test]
    public async Task Only_workflow_admins_use_the_designer_endpoints_and_only_auditors_the_audit_endpoints()
    {
        var clerk = await SignedInAsync("clerk");
        var auditor = await SignedInAsync("auditor");
        var designer = await SignedInAsync("designer");
        var anonymous = _factory.CreateClient();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await clerk.PutAsync(U("/api/designer/definitions/x/draft"), Json(Definition("x", "go")))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await auditor.PostAsync(U("/api/designer/migrations/dry-run"), Json("{}"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await anonymous.GetAsync(U("/api/designer/definitions/x/export"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await clerk.GetAsync(U("/api/audit/instances"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await designer.GetAsync(U("/api/audit/instances"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await auditor.GetAsync(U("/api/audit/instances"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task An_admin_sees_the_validation_error_on_the_node_and_field_fixes_it_publishes_v2_diffs_and_migrates()
    {
        var designer = await SignedInAsync("designer");
        var id = $"http-{Guid.NewGuid():N}"[..13];
        Assert.That((await designer.PostAsync(U("/api/designer/definitions/import"), Json(Definition(id, "go")))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var runtime = _factory.Services.GetRequiredService<WorkflowRuntime>();
        var onV1 = (await runtime.StartAsync(new StartWorkflowRequest(id) { Initiator = "clerk" })).Value;

        // v2 adds a decision without its required condition: saved as a draft, with the error on the node and the input.
        var saved = await designer.PutAsync(U($"/api/designer/definitions/{id}/draft"), Json(Definition(id, "go", withReview: true)));
        var draft = await saved.Content.ReadFromJsonAsync<JsonObject>();
        var refused = await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), null);
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(draft!["version"]!["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(draft["valid"]!.GetValue<bool>(), Is.False);
            Assert.That(draft["errors"]![0]!["activityId"]!.GetValue<string>(), Is.EqualTo("check"));
            Assert.That(draft["errors"]![0]!["input"]!.GetValue<string>(), Is.EqualTo("condition"));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo("definition_invalid"));
            Assert.That(problem["errors"]![0]!["activityId"]!.GetValue<string>(), Is.EqualTo("check"));
        }

        var fixedDefinition = JsonNode.Parse(Definition(id, "go", withReview: true))!;
        fixedDefinition["root"]!["activities"]![2]!["condition"] = new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "true" } };
        var check = await (await designer.PostAsync(U("/api/designer/definitions/validate"), Json(fixedDefinition.ToJsonString()))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(check!["valid"]!.GetValue<bool>(), Is.True);
        Assert.That((await designer.PutAsync(U($"/api/designer/definitions/{id}/draft"), Json(fixedDefinition.ToJsonString()))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var published = await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), null);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());
        var onV2 = (await runtime.StartAsync(new StartWorkflowRequest(id) { Initiator = "clerk" })).Value;

        var diff = await designer.GetFromJsonAsync<JsonObject>(U($"/api/designer/definitions/{id}/diff?from=1&to=2"));
        var export = await designer.GetAsync(U($"/api/designer/definitions/{id}/export?version=2"));
        var pickable = await designer.GetFromJsonAsync<JsonArray>(U($"/api/designer/definitions/{id}/instances"));
        var plan = new { definitionId = id, targetVersion = 2, instanceIds = new[] { onV1.InstanceId }, mapping = new Dictionary<string, string>() };
        var dryRun = await (await designer.PostAsJsonAsync(U("/api/designer/migrations/dry-run"), plan)).Content.ReadFromJsonAsync<JsonObject>();
        var run = await (await designer.PostAsJsonAsync(U("/api/designer/migrations"), plan)).Content.ReadFromJsonAsync<JsonObject>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff!["nodesAdded"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "check", "end" }));
            Assert.That(diff["nodesRemoved"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "end2" }));
            Assert.That(export.Content.Headers.ContentDisposition?.FileName, Does.Contain($"{id}-v2.json"));
            Assert.That(pickable!.Select(i => (i!["definitionVersion"]!.GetValue<int>(), i["currentSteps"]![0]!.GetValue<string>())), Is.EquivalentTo(new[] { (1, "wait"), (2, "wait") }));
            // People and steps by name (the step's name in the instance's own version), for the migration page.
            Assert.That(pickable!.Select(i => (i!["initiatorName"]!.GetValue<string>(), i["steps"]![0]!["id"]!.GetValue<string>(), i["steps"]![0]!["name"]!.GetValue<string>())),
                Is.EquivalentTo(new[] { ("clerk 的姓名", "wait", "等待事件"), ("clerk 的姓名", "wait", "等待事件") }));
            Assert.That(dryRun!["dryRun"]!.GetValue<bool>(), Is.True);
            Assert.That(dryRun["instances"]![0]!["canMigrate"]!.GetValue<bool>(), Is.True, dryRun.ToJsonString());
            Assert.That(run!["instances"]![0]!["migrated"]!.GetValue<bool>(), Is.True, run.ToJsonString());
            Assert.That((await _factory.Services.GetRequiredService<WorkflowQueries>().GetInstanceAsync(onV1.InstanceId))!.DefinitionVersion, Is.EqualTo(2));
            Assert.That((await _factory.Services.GetRequiredService<WorkflowQueries>().GetInstanceAsync(onV2.InstanceId))!.DefinitionVersion, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task An_auditor_finds_a_finished_case_steps_through_it_verifies_it_and_exports_it()
    {
        var designer = await SignedInAsync("designer");
        var id = $"aud-{Guid.NewGuid():N}"[..12];
        await designer.PostAsync(U("/api/designer/definitions/import"), Json(Definition(id, "done")));
        await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), null);
        var runtime = _factory.Services.GetRequiredService<WorkflowRuntime>();
        var started = (await runtime.StartAsync(new StartWorkflowRequest(id) { Initiator = "clerk" })).Value;
        await runtime.ResumeAsync(started.Bookmarks.Single().Id, new JsonObject { ["ok"] = true }, "clerk");
        var auditor = await SignedInAsync("auditor");

        var found = await auditor.GetFromJsonAsync<JsonObject>(U($"/api/audit/instances?definitionId={id}&status=Finished&applicant=clerk&department=bureau"));
        var snapshots = await auditor.GetFromJsonAsync<JsonArray>(U($"/api/audit/instances/{started.InstanceId}/snapshots"));
        var verdict = await auditor.GetFromJsonAsync<JsonObject>(U($"/api/audit/instances/{started.InstanceId}/verify"));
        var csv = await auditor.GetAsync(U($"/api/audit/instances/{started.InstanceId}/export?format=csv"));
        var json = await auditor.GetFromJsonAsync<JsonObject>(U($"/api/audit/instances/{started.InstanceId}/export"));
        var badFormat = await auditor.GetAsync(U($"/api/audit/instances/{started.InstanceId}/export?format=pdf"));
        var badPage = await auditor.GetAsync(U("/api/audit/instances?pageSize=1000"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found!["total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(found["items"]![0]!["id"]!.GetValue<string>(), Is.EqualTo(started.InstanceId.ToString()));
            Assert.That(snapshots!.Count, Is.EqualTo(json!["entries"]!.AsArray().Count));
            Assert.That(snapshots[^1]!["status"]!.GetValue<string>(), Is.EqualTo(WorkflowStatus.Finished));
            Assert.That(verdict!["isIntactAndReproducible"]!.GetValue<bool>(), Is.True, verdict.ToJsonString());
            Assert.That(verdict["verdict"]!.GetValue<string>(), Does.StartWith("完整且可复现"));
            Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(await csv.Content.ReadAsStringAsync(), Does.Contain("序号,时间,事件"));
            Assert.That(json["entries"]![0]!["what"]!.GetValue<string>(), Is.EqualTo("发起流程"));
            Assert.That(badFormat.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(badPage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        // Someone alters a journal row in the database: verification fails and names it.
        var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        await using (db)
        {
            var resumed = db.Journal.Single(j => j.InstanceId == started.InstanceId && j.EventName == JournalEvents.ActivityResumed);
            resumed.Actor = "intruder";
            await db.SaveChangesAsync();
        }

        var tampered = await auditor.GetFromJsonAsync<JsonObject>(U($"/api/audit/instances/{started.InstanceId}/verify"));
        Assert.That(tampered!["isIntactAndReproducible"]!.GetValue<bool>(), Is.False);
        Assert.That(tampered["verdict"]!.GetValue<string>(), Does.Contain("内容被修改"));
    }

    [Test]
    public async Task Publishing_keeps_the_release_note_lists_the_earlier_version_as_superseded_and_a_save_answers_its_warnings()
    {
        var designer = await SignedInAsync("designer");
        var id = $"rel-{Guid.NewGuid():N}"[..12];
        var saved = await (await designer.PostAsync(U("/api/designer/definitions/import"), Json(Definition(id, "go")))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(saved!["warnings"]!.AsArray(), Is.Empty, "every outcome of the simple chart leads somewhere");
        var first = await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), JsonContent.Create(new { releaseNote = "首次发布" }));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        // v2 leaves the decision's 否 unconnected: saved and publishable, with a warning that names the port in Chinese.
        var open = JsonNode.Parse(Definition(id, "go", withReview: true))!;
        open["root"]!["activities"]![2]!["condition"] = new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "true" } };
        open["root"]!["connections"]!.AsArray().RemoveAt(3);
        var draft = await (await designer.PutAsync(U($"/api/designer/definitions/{id}/draft"), Json(open.ToJsonString()))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(draft!["valid"]!.GetValue<bool>(), Is.True);
        Assert.That(draft["warnings"]!.AsArray().Select(w => (w!["code"]!.GetValue<string>(), w["activityId"]!.GetValue<string>(), w["message"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("unconnected_outcome", "check", "环节“check”的出口“否”没有连线：走到该出口时流程就此结束。") }));

        var tooLong = await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), JsonContent.Create(new { releaseNote = new string('长', 501) }));
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await designer.GetFromJsonAsync<JsonArray>(U($"/api/definitions/{id}/versions")))!.Select(v => v!["state"]!.GetValue<string>()),
            Is.EqualTo(new[] { "published", "draft" }), "a refused publication changes nothing");
        var second = await designer.PostAsync(U($"/api/designer/definitions/{id}/publish"), JsonContent.Create(new { releaseNote = "增加核查" }));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), await second.Content.ReadAsStringAsync());

        var versions = await designer.GetFromJsonAsync<JsonArray>(U($"/api/definitions/{id}/versions"));
        Assert.That(versions!.Select(v => (v!["version"]!.GetValue<int>(), v["state"]!.GetValue<string>(), v["supersededBy"]?.GetValue<int>(), v["releaseNote"]!.GetValue<string>())),
            Is.EqualTo(new[] { (1, "superseded", (int?)2, "首次发布"), (2, "published", (int?)null, "增加核查") }));
        // Who saved and published each version, by name as the drawer shows them.
        Assert.That(versions!.Select(v => (v!["createdByName"]!.GetValue<string>(), v["publishedByName"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("designer 的姓名", "designer 的姓名"), ("designer 的姓名", "designer 的姓名") }));
    }
}
