using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows.Tasks;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The exchange progress of a case and the interface endpoints over HTTP on the demo organisation: 市民政局 (mzj) provides an
/// interface, 市人社局 (rsj) uses it with its application, 市公安局 (gaj) is a bystander, bureau.data is the bureau.
/// </summary>
public sealed class ExchangeAndInterfaceEndpointsTests
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
    public async Task The_exchange_of_a_case_shows_rows_and_checksum_to_its_parties_and_is_not_found_for_others()
    {
        var (instanceId, _) = await _sessions.DemoCaseAsync("DEMO-SUB-002");
        var step = (await _factory.Services.GetRequiredService<TaskQueries>().TasksOfInstanceAsync(instanceId))
            .Single(t => t.Status == TaskStatuses.Open && t.ActivityId == "platformExchange");
        var before = await (await _sessions.AsAsync("rsj.contact")).GetAsync(Url($"/api/applications/{instanceId}/exchange"));
        Assert.That(await before.Content.ReadFromJsonAsync<JsonArray>(), Is.Empty, "nothing exchanged yet");
        Assert.That((await _factory.Services.GetRequiredService<TaskService>().ApproveAsync(step.Id, "bureau.support", "已交换")).IsSuccess, Is.True);

        foreach (var user in new[] { "rsj.contact", "scjgj.approver", "bureau.auditor" })
        {
            var response = await (await _sessions.AsAsync(user)).GetAsync(Url($"/api/applications/{instanceId}/exchange"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), user);
            var run = (await response.Content.ReadFromJsonAsync<JsonArray>())!.Single()!["run"]!;
            Assert.That((run["status"]!.GetValue<string>(), run["rowsDone"]!.GetValue<long>(), run["rowsTotal"]!.GetValue<long>(), run["progress"]!.GetValue<double>()),
                Is.EqualTo(("succeeded", 5L, 5L, 1.0)), user);
            Assert.That(run["checksum"]!.GetValue<string>(), Does.Match("^[0-9a-f]{64}$").And.EqualTo(run["sourceChecksum"]!.GetValue<string>()));
        }

        var outsider = await (await _sessions.AsAsync("gaj.contact")).GetAsync(Url($"/api/applications/{instanceId}/exchange"));
        Assert.That((outsider.StatusCode, (await outsider.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.NotFound, "case_not_found")));

        var tracking = await (await _sessions.AsAsync("rsj.contact")).GetFromJsonAsync<JsonObject>(Url($"/api/applications/{instanceId}"));
        var exchangeStep = tracking!["exchange"]!.AsArray().Single(s => s!["run"] is JsonObject)!;
        Assert.That((exchangeStep["status"]!.GetValue<string>(), exchangeStep["run"]!["rowsDone"]!.GetValue<long>()), Is.EqualTo(("Done", 5L)));
    }

    [Test]
    public async Task Applications_and_authorisations_are_seen_and_managed_within_the_interface_scope()
    {
        var (application, authorization) = await GrantAsync();
        var consumer = await _sessions.AsAsync("rsj.contact");
        var provider = await _sessions.AsAsync("mzj.approver");
        var outsider = await _sessions.AsAsync("gaj.contact");
        var bureau = await _sessions.AsAsync("bureau.data");

        // Applications: the owner sees and rotates; another department neither.
        var listed = (await consumer.GetFromJsonAsync<JsonArray>(Url("/api/interfaces/applications")))!;
        var mine = listed.Single(a => a!["id"]!.GetValue<Guid>() == application.Id)!;
        Assert.That((mine["secretVersion"]!.GetValue<int>(), mine.AsObject().ContainsKey("secret")), Is.EqualTo((1, false)));
        Assert.That((await provider.GetFromJsonAsync<JsonArray>(Url("/api/interfaces/applications")))!.Select(a => a!["id"]!.GetValue<Guid>()), Does.Not.Contain(application.Id));
        await ExpectAsync(await provider.PostAsync(Url($"/api/interfaces/applications/{application.Id}/rotate-secret"), null), HttpStatusCode.NotFound, "application_not_found");
        var rotated = await consumer.PostAsync(Url($"/api/interfaces/applications/{application.Id}/rotate-secret"), null);
        Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rotated.Content.ReadAsStringAsync());
        Assert.That(rotated.Headers.CacheControl?.NoStore, Is.True);
        var issued = await rotated.JsonAsync();
        var secret = issued["secret"]!.GetValue<string>();
        Assert.That((issued["secretVersion"]!.GetValue<int>(), secret.Length >= 40, secret == application.Secret), Is.EqualTo((2, true, false)));

        // Authorisations: both parties see it, a bystander does not.
        var path = $"/api/interfaces/authorizations/{authorization}";
        Assert.That((await consumer.GetFromJsonAsync<JsonObject>(Url(path)))!["consumerOrgUnitId"]!.GetValue<string>(), Is.EqualTo("rsj"));
        Assert.That((await provider.GetFromJsonAsync<JsonObject>(Url("/api/interfaces/authorizations?status=active")))!["items"]!.AsArray()
            .Select(a => a!["id"]!.GetValue<Guid>()), Does.Contain(authorization));
        Assert.That((await outsider.GetFromJsonAsync<JsonObject>(Url("/api/interfaces/authorizations")))!["total"]!.GetValue<int>(), Is.Zero);
        await ExpectAsync(await outsider.GetAsync(Url(path)), HttpStatusCode.NotFound, "authorization_not_found");
        await ExpectAsync(await outsider.GetAsync(Url(path + "/calls")), HttpStatusCode.NotFound, "authorization_not_found");
        await ExpectAsync(await consumer.GetAsync(Url("/api/interfaces/authorizations?status=sleeping")), HttpStatusCode.BadRequest, "validation_failed");

        // The call log, paged, newest first.
        var calls = (await consumer.GetFromJsonAsync<JsonObject>(Url(path + "/calls?page=1&pageSize=2")))!;
        Assert.That((calls["total"]!.GetValue<int>(), calls["items"]!.AsArray().Count), Is.EqualTo((3, 2)));
        Assert.That(calls["items"]![0]!["refusal"]!.GetValue<string>(), Is.EqualTo(GatewayRefusals.IpNotAllowed));

        // Only the provider's deciders or the bureau's managers change it; a reason where the regulation asks for one.
        await ExpectAsync(await consumer.PostAsJsonAsync(Url(path + "/suspend"), new { reason = "自行暂停" }), HttpStatusCode.Forbidden, "forbidden");
        foreach (var bystander in new[] { "mzj.contact", "mzj.cataloger", "bureau.auditor", "bureau.workflow" })
        {
            var session = await _sessions.AsAsync(bystander);
            Assert.That((await session.GetAsync(Url(path))).StatusCode, Is.EqualTo(HttpStatusCode.OK), bystander + " sees it");
            await ExpectAsync(await session.PostAsJsonAsync(Url(path + "/suspend"), new { reason = "越权暂停" }), HttpStatusCode.Forbidden, "forbidden");
        }

        await ExpectAsync(await outsider.PostAsJsonAsync(Url(path + "/suspend"), new { reason = "无关" }), HttpStatusCode.NotFound, "authorization_not_found");
        await ExpectAsync(await provider.PostAsJsonAsync(Url(path + "/suspend"), new { reason = " " }), HttpStatusCode.BadRequest, "reason_required");
        Assert.That(await StatusAsync(await provider.PostAsJsonAsync(Url(path + "/suspend"), new { reason = "发现超范围调用，暂停核查" })), Is.EqualTo("suspended"));
        Assert.That(await StatusAsync(await provider.PostAsJsonAsync(Url(path + "/resume"), new { })), Is.EqualTo("active"));
        var withoutCsrf = _factory.CreateClient();
        await withoutCsrf.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "mzj.approver", password = ApiSessions.Password });
        await ExpectAsync(await withoutCsrf.PostAsJsonAsync(Url(path + "/terminate"), new { reason = "无令牌" }), HttpStatusCode.BadRequest, "csrf_token_invalid");
        Assert.That(await StatusAsync(await bureau.PostAsJsonAsync(Url(path + "/revoke"), new { reason = "超过三个月未使用" })), Is.EqualTo("revoked"));
        await ExpectAsync(await provider.PostAsJsonAsync(Url(path + "/terminate"), new { reason = "已收回" }), HttpStatusCode.Conflict, "authorization_status_conflict");
        var revoked = (await bureau.GetFromJsonAsync<JsonObject>(Url(path)))!;
        Assert.That((revoked["statusName"]!.GetValue<string>(), revoked["statusReason"]!.GetValue<string>()), Is.EqualTo(("已收回", "超过三个月未使用")));
    }

    [Test]
    public async Task An_interfaces_upstream_address_is_shown_to_the_provider_and_the_bureau_only()
    {
        var catalog = _factory.Services.GetRequiredService<PdsWorkflow.Activities.Catalog.CatalogService>();
        var entry = (await catalog.SearchAsync(new PdsWorkflow.Activities.Catalog.CatalogQuery { ProviderOrgUnitId = "gaj" })).Value.Items.First();
        var mounted = await catalog.MountAsync(entry.EntryId, new PdsWorkflow.Activities.Catalog.CatalogMountRequest(PdsWorkflow.Activities.Catalog.CatalogMountKind.Api)
        {
            ApiName = "人口基本信息核验接口", Endpoint = "https://59.207.101.21:8443/gaj/rkxx/v1",
        }, "gaj.cataloger");
        Assert.That(mounted.IsSuccess, Is.True, mounted.Error?.Detail);

        foreach (var (user, visible) in new[] { ("gaj.cataloger", true), ("gaj.admin", true), ("bureau.data", true), ("rsj.contact", false), ("yx-wjw.contact", false) })
        {
            var shown = (await (await _sessions.AsAsync(user)).GetFromJsonAsync<JsonObject>(Url($"/api/catalog/entries/{entry.EntryId}")))!;
            var mount = shown["entry"]!["mounts"]!.AsArray().Single(m => m!["id"]!.GetValue<Guid>() == mounted.Value.Id)!;
            Assert.That(mount["name"]!.GetValue<string>(), Is.EqualTo("人口基本信息核验接口"), user);
            Assert.That(mount["target"]?.GetValue<string>(), visible ? Is.EqualTo("https://59.207.101.21:8443/gaj/rkxx/v1") : Is.Null, user);
        }
    }

    /// <summary>An application of 市人社局 authorised to call an interface of 市民政局, with three logged calls.</summary>
    private async Task<(IssuedApplication Application, Guid Authorization)> GrantAsync()
    {
        var interfaces = _factory.Services.GetRequiredService<InterfaceService>();
        var issued = await interfaces.CreateApplicationAsync("rsj", $"社保系统{Guid.NewGuid():N}"[..10], "bureau.admin");
        Assert.That(issued.IsSuccess, Is.True, issued.ToString());
        await using var db = _factory.Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        var application = await db.Applications.SingleAsync(a => a.Id == issued.Value.Id);
        var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddMinutes(-10);
        var today = DateOnly.FromDateTime(now);
        var granted = ApiAuthorization.Grant($"test/{Guid.NewGuid():N}", null,
            new InterfaceTarget(Guid.NewGuid(), Guid.NewGuid(), "婚姻登记信息核验接口", "mzj", "http://127.0.0.1:9/verify"), "rsj", application,
            new AuthorizationTerms(["59.207.101.21"], today.AddDays(-1), today.AddDays(364), [], "每日 00:00-24:00", 10, 100), "mzj.approver", now);
        db.Authorizations.Add(granted);
        await db.SaveChangesAsync();
        foreach (var (minutes, status, refusal) in new[] { (1, 200, (string?)null), (2, 200, null), (3, 403, GatewayRefusals.IpNotAllowed) })
        {
            await interfaces.RecordCallAsync(new ApiCall
            {
                Id = Guid.NewGuid(), At = now.AddMinutes(minutes), InterfaceCode = granted.MountId.ToString("N"), MountId = granted.MountId,
                ProviderOrgUnitId = "mzj", ConsumerOrgUnitId = "rsj", ApplicationId = application.Id, AppKey = application.AppKey, AuthorizationId = granted.Id,
                Method = "GET", Path = "/gateway/x/verify", Status = status, BytesOut = 100, Refusal = refusal,
            });
        }

        return (issued.Value, granted.Id);
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(JsonNode.Parse(body)?["code"]?.GetValue<string>(), Is.EqualTo(code), body);
    }

    private static async Task<string> StatusAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())["status"]!.GetValue<string>();
    }
}
