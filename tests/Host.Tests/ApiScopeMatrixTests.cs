using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The role × organisation matrix on a demo case: 叶县卫健委 (yx-wjw, a county department of 叶县 410422) asks the city's
/// public security bureau (gaj) for a conditional subscription, now with gaj's provider approver. Every endpoint that
/// reads or changes the case is tried as each kind of user; outside scope is 404, inside scope without the task 403.
/// </summary>
public sealed class ApiScopeMatrixTests
{
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;
    private Guid _case;
    private Guid _task;

    /// <summary>Who sees the case: the applicant, the applicant's unit, the provider approver, 叶县's authority, the bureau.</summary>
    private static readonly Dictionary<string, bool> Sees = new()
    {
        ["yx-wjw.contact"] = true, // the applicant
        ["yx-wjw.admin"] = true, // the applicant's unit
        ["rsj.contact"] = false, // another department
        ["gaj.approver"] = true, // the provider approver holding the task
        ["gaj.admin"] = true, // the provider department
        ["rsj.approver"] = false, // another provider
        ["yx-sjj.admin"] = true, // the county authority of the applicant's county
        ["xhq-sjj.admin"] = false, // a county authority of another county
        ["bureau.admin"] = true, // the bureau
        ["bureau.auditor"] = true,
    };

    public static IEnumerable<string> Users => Sees.Keys;

    /// <summary>
    /// Everyone but the task's holder: this matrix is about refusals, and deciding would end the shared case (the holder's
    /// approval and return over HTTP: <c>ApiApplicationTests</c>).
    /// </summary>
    public static IEnumerable<string> NotHolders => Sees.Keys.Where(u => u != "gaj.approver");

    /// <summary>
    /// Everyone but the applicant: withdrawing would end the shared case (the applicant's withdrawal and reminders:
    /// Workflows.Tests' <c>ReturnTests</c> and <c>ActionTests</c>).
    /// </summary>
    public static IEnumerable<string> NotApplicants => Sees.Keys.Where(u => u != "yx-wjw.contact");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new HostFactory(seedDemo: true);
        _sessions = new ApiSessions(_factory);
        (_case, _task) = await _sessions.DemoCaseAsync("DEMO-SUB-001");
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var holders = await db.TaskCandidates.Where(c => c.TaskId == _task).Select(c => c.UserId).ToListAsync();
        Assert.That(holders, Is.EqualTo(new[] { "gaj.approver" }), "the matrix assumes gaj.approver alone holds the demo task");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [TestCaseSource(nameof(Users))]
    public async Task Reading_the_case_follows_the_scope(string user)
    {
        var client = await _sessions.AsAsync(user);
        // The engine's views carry hidden form fields and every variable: the bureau reads them, a party gets 403.
        var bureau = user.StartsWith("bureau.", StringComparison.Ordinal);
        foreach (var (path, engineView) in new[]
                 {
                     ($"/api/applications/{_case}", false), ($"/api/tasks/{_task}", false), ($"/api/instances/{_case}", true),
                     ($"/api/instances/{_case}/journal", true), ($"/api/instances/{_case}/verify", true),
                 })
        {
            var expected = !Sees[user] ? HttpStatusCode.NotFound : engineView && !bureau ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
            var response = await client.GetAsync(Url(path));
            Assert.That(response.StatusCode, Is.EqualTo(expected), $"{user} GET {path}: {await response.Content.ReadAsStringAsync()}");
            if (expected == HttpStatusCode.NotFound)
                Assert.That((await response.JsonAsync())["code"]!.GetValue<string>(), Is.AnyOf("case_not_found", "task_not_found", "instance_not_found"));
        }
    }

    [TestCaseSource(nameof(NotHolders))]
    public async Task Deciding_the_task_is_for_its_holder_only(string user)
    {
        var client = await _sessions.AsAsync(user);
        var actions = new (string Path, object Body)[]
        {
            ($"/api/tasks/{_task}/approve", new { comment = "同意" }),
            ($"/api/tasks/{_task}/reject", new { reason = "不同意" }),
            ($"/api/tasks/{_task}/return", new { target = "submit", reason = "请补正" }),
            ($"/api/tasks/{_task}/transfer", new { toUser = "gaj.admin" }),
            ($"/api/tasks/{_task}/delegate", new { toUser = "gaj.admin" }),
            ($"/api/tasks/{_task}/signers", new { signer = "gaj.admin", position = "Before" }),
            ($"/api/tasks/{_task}/cc", new { users = new[] { "gaj.admin" } }),
            ($"/api/tasks/{_task}/form", new { form = new { } }),
            ($"/api/tasks/{_task}/extension", new { workingDays = 2, reason = "需要核实" }),
        };
        foreach (var (path, body) in actions)
        {
            var response = await client.PostAsJsonAsync(Url(path), body);
            var problem = await response.JsonAsync();
            if (Sees[user])
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{user} POST {path}: {problem}");
                Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("not_task_holder"));
            }
            else
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{user} POST {path}: {problem}");
                Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("task_not_found"));
            }
        }

        // Claiming a task someone already holds is a conflict, not a permission question, for those who may see it.
        var claim = await client.PostAsJsonAsync(Url($"/api/tasks/{_task}/claim"), new { });
        Assert.That(claim.StatusCode, Is.EqualTo(Sees[user] ? HttpStatusCode.Conflict : HttpStatusCode.NotFound), user);

        var bulk = await client.PostAsJsonAsync(Url("/api/tasks/bulk-approve"), new { taskIds = new[] { _task } });
        var item = (await bulk.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonArray>())![0]!;
        Assert.That(item["succeeded"]!.GetValue<bool>(), Is.False);
        Assert.That(item["code"]!.GetValue<string>(), Is.EqualTo(Sees[user] ? "not_task_holder" : "task_not_found"));
    }

    [TestCaseSource(nameof(NotApplicants))]
    public async Task Applicant_actions_are_for_the_applicant_only(string user)
    {
        var client = await _sessions.AsAsync(user);
        foreach (var path in new[] { $"/api/applications/{_case}/withdraw", $"/api/applications/{_case}/urge", $"/api/applications/{_case}/submit" })
        {
            var response = await client.PostAsJsonAsync(Url(path), new { reason = "撤回", form = new { } });
            var problem = await response.JsonAsync();
            Assert.That(response.StatusCode, Is.EqualTo(Sees[user] ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound), $"{user} POST {path}: {problem}");
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo(Sees[user] ? "not_applicant" : "case_not_found"));
        }
    }

    [Test]
    public async Task The_scope_of_me_names_each_kind_of_user()
    {
        foreach (var (user, scope) in new[] { ("bureau.admin", "all"), ("yx-sjj.admin", "county"), ("gaj.approver", "unit") })
        {
            var me = await (await _sessions.AsAsync(user)).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Url("/api/me"));
            Assert.That(me!["scope"]!.GetValue<string>(), Is.EqualTo(scope), user);
        }
    }

    [Test]
    public async Task The_holder_sees_the_task_in_the_inbox_and_its_actions()
    {
        var client = await _sessions.AsAsync("gaj.approver");
        var todo = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Url("/api/tasks/todo?definitionId=subscription"));
        Assert.That(todo!["items"]!.AsArray().Select(t => t!["id"]!.GetValue<Guid>()), Does.Contain(_task));
        var detail = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Url($"/api/tasks/{_task}"));
        Assert.That(detail!["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()), Is.SupersetOf(new[] { "approve", "reject", "return" }));
        Assert.That(detail["application"]!["applicant"]!["id"]!.GetValue<string>(), Is.EqualTo("yx-wjw.contact"));
        var other = await (await _sessions.AsAsync("rsj.approver")).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Url("/api/tasks/todo"));
        Assert.That(other!["items"]!.AsArray().Select(t => t!["id"]!.GetValue<Guid>()), Does.Not.Contain(_task));
    }
}
