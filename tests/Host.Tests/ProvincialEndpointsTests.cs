using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Provincial;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// P7's decision coming back through the Host: the portal's callback signed with the shared secret, or bureau staff with
/// their session and CSRF token; either resumes the waiting case once. And the user's notifications over HTTP.
/// </summary>
public sealed class ProvincialEndpointsTests
{
    private const string Password = "Pds2026demo";
    private const string Secret = "pds-host-test-provincial-shared-secret-42";
    private HostFactory _host = null!;
    private WebApplicationFactory<Program> _factory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = new HostFactory();
        _factory = _host.WithWebHostBuilder(b =>
        {
            b.UseSetting("Provincial:Portal", "Recording");
            b.UseSetting("Provincial:SharedSecret", Secret);
            b.UseSetting("Outbox:PollInterval", "00:00:01");
        });
        _ = _factory.CreateClient();
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        db.OrgUnits.Add(new OrgUnitRecord { Id = "bureau", Name = "市政务服务和大数据管理局", Kind = OrgUnitKinds.Bureau, RegionCode = "410400" });
        db.OrgUnits.Add(new OrgUnitRecord { Id = "rsj", Name = "市人力资源和社会保障局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        foreach (var (id, unit, role) in new[] { ("section", "bureau", Roles.DataResourcesSection), ("applicant", "rsj", Roles.DataContact) })
        {
            var user = new UserRecord { Id = id, DisplayName = id, OrgUnitId = unit, CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
            user.PasswordHash = PasswordPolicy.Hash(Password);
            db.Users.Add(user);
            db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role, OrgUnitId = unit });
        }

        await db.SaveChangesAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _factory.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task The_portal_callback_signed_with_the_shared_secret_resumes_the_case_once()
    {
        var (instance, correlationId) = await ForwardAsync();
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["correlationId"] = correlationId, ["approved"] = false, ["reason"] = "该资源仅限省直部门使用" }.ToJsonString());
        var client = _factory.CreateClient();

        var unsigned = await client.SendAsync(Callback(body, null));
        var forged = await client.SendAsync(Callback(body, Secret + "-guessed"));
        Assert.That((unsigned.StatusCode, await CodeAsync(unsigned)), Is.EqualTo((HttpStatusCode.Unauthorized, "provincial_signature_invalid")));
        Assert.That((forged.StatusCode, await CodeAsync(forged)), Is.EqualTo((HttpStatusCode.Unauthorized, "provincial_signature_invalid")));
        Assert.That(await StatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended));

        var accepted = await client.SendAsync(Callback(body, Secret));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        Assert.That((await accepted.Content.ReadFromJsonAsync<JsonObject>())!["instanceId"]!.GetValue<string>(), Is.EqualTo(instance.ToString()));
        Assert.That(await StatusAsync(instance), Is.EqualTo(WorkflowStatus.Finished));

        var repeated = await client.SendAsync(Callback(body, Secret));
        Assert.That((repeated.StatusCode, await CodeAsync(repeated)), Is.EqualTo((HttpStatusCode.Conflict, "provincial_decision_already_recorded")));

        var portal = _factory.Services.GetRequiredService<RecordingProvincialPortal>();
        for (var waited = 0; portal.Received.All(p => p.CorrelationId != correlationId) && waited < 200; waited++) await Task.Delay(100);
        Assert.That(portal.Received.Single(p => p.CorrelationId == correlationId).Package["caseId"]!.GetValue<string>(), Is.EqualTo(instance.ToString()));
    }

    [Test]
    public async Task Bureau_staff_record_a_decision_with_their_session_and_csrf_token_once()
    {
        var (instance, correlationId) = await ForwardAsync();
        var url = new Uri($"/api/provincial/requests/{correlationId}/decision", UriKind.Relative);
        var decision = new { approved = false, reason = "省级部门暂不开放该资源" };

        var applicant = await SignedInAsync("applicant");
        var withoutToken = await SignedInAsync("section", csrf: false);
        var section = await SignedInAsync("section");

        Assert.That((await applicant.PostAsJsonAsync(url, decision)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var noCsrf = await withoutToken.PostAsJsonAsync(url, decision);
        Assert.That((noCsrf.StatusCode, await CodeAsync(noCsrf)), Is.EqualTo((HttpStatusCode.BadRequest, "csrf_token_invalid")));
        var incomplete = await section.PostAsJsonAsync(url, new { approved = false });
        Assert.That((incomplete.StatusCode, await CodeAsync(incomplete)), Is.EqualTo((HttpStatusCode.BadRequest, "provincial_decision_invalid")));
        Assert.That(await StatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended));

        var recorded = await section.PostAsJsonAsync(url, decision);
        Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await recorded.Content.ReadAsStringAsync());
        var again = await section.PostAsJsonAsync(url, decision);
        Assert.That((again.StatusCode, await CodeAsync(again)), Is.EqualTo((HttpStatusCode.Conflict, "provincial_decision_already_recorded")));
        Assert.That(await StatusAsync(instance), Is.EqualTo(WorkflowStatus.Finished));

        // The refusal is passed on to the applicant (Pds.Notify → notify.case), and the outbox delivers it in-app.
        JsonNode? notice = null;
        for (var waited = 0; notice is null && waited < 200; waited++)
        {
            var page = await applicant.GetFromJsonAsync<JsonObject>(new Uri("/api/notifications?unread=true", UriKind.Relative));
            notice = page!["items"]!.AsArray().FirstOrDefault(n => n!["body"]?.GetValue<string>() == "省级部门暂不开放该资源");
            if (notice is null) await Task.Delay(100);
        }

        Assert.That(notice, Is.Not.Null, "the refusal reaches the applicant's notifications");
        Assert.That(notice!["title"]!.GetValue<string>(), Is.EqualTo("省级部门未同意"));
        var read = await applicant.PostAsync(new Uri($"/api/notifications/{notice["id"]!.GetValue<string>()}/read", UriKind.Relative), null);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var othersRead = await section.PostAsync(new Uri($"/api/notifications/{notice["id"]!.GetValue<string>()}/read", UriKind.Relative), null);
        Assert.That(othersRead.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>The applicant applies (form 4) and the bureau forwards: the case waits for the province's decision.</summary>
    private async Task<(Guid Instance, string CorrelationId)> ForwardAsync()
    {
        var services = _factory.Services;
        var run = await services.GetRequiredService<WorkflowRuntime>().StartAsync(new StartWorkflowRequest("provincial-resource")
        {
            Initiator = "applicant",
            Input = new JsonObject { ["proxied"] = false },
        });
        Assert.That(run.IsSuccess, Is.True, run.ToString());
        var instance = run.Value.InstanceId;
        var tasks = services.GetRequiredService<TaskService>();
        var inbox = services.GetRequiredService<TaskQueries>();
        var submit = (await inbox.TasksOfInstanceAsync(instance)).Single(t => t.Status == TaskStatuses.Open);
        var scan = await services.GetRequiredService<TaskAttachments>().AttachAsync(submit.Id, "applicant", "库表申请表（盖章）.pdf", new MemoryStream(TestFiles.Content("scan.pdf")));
        var form = FormExamples.ProvincialRequest();
        form["stampedScan"] = new JsonObject { ["id"] = scan.Value.Id.ToString(), ["name"] = scan.Value.FileName };
        var submitted = await tasks.ApproveAsync(submit.Id, "applicant", "提交申请", form);
        Assert.That(submitted.IsSuccess, Is.True, submitted.ToString());
        var forward = (await inbox.TasksOfInstanceAsync(instance)).Single(t => t.Status == TaskStatuses.Open);
        Assert.That((await tasks.ApproveAsync(forward.Id, "section", "同意转交")).IsSuccess, Is.True);

        await using var db = await services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var wait = await db.Bookmarks.SingleAsync(b => b.InstanceId == instance && b.Status == BookmarkStatus.Open);
        return (instance, wait.CorrelationKey!);
    }

    private async Task<HttpClient> SignedInAsync(string user, bool csrf = true)
    {
        var client = await _factory.SignedInAsync(user, Password);
        if (!csrf) client.DefaultRequestHeaders.Remove(AuthRegistration.CsrfHeader);
        return client;
    }

    /// <summary>A callback as the portal sends it, signed with <paramref name="secret"/> (none: unsigned).</summary>
    private HttpRequestMessage Callback(byte[] body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/provincial/decisions", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is null) return request;
        var timestamp = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(ProvincialSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(ProvincialSignature.SignatureHeader, ProvincialSignature.Sign(secret, timestamp, body));
        return request;
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())?["code"]?.GetValue<string>();

    private async Task<string> StatusAsync(Guid instance) =>
        (await _factory.Services.GetRequiredService<WorkflowQueries>().GetInstanceAsync(instance))!.Status;
}
