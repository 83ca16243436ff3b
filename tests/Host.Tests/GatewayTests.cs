using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The gateway of the real Host on Kestrel (so the source address is the test's real one, 127.0.0.1 or ::1) in front of
/// a real upstream on another Kestrel port, on each database provider. One authorisation per rule, each failing only
/// that rule; the clock the gateway judges by is a manual one.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class GatewayTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 11, 10, 0, 0, Beijing));
    private TestDatabase _database = null!;
    private WebApplication _upstream = null!;
    private GatewayHost _host = null!;
    private HttpClient _client = null!;
    private Guid _mountId;
    private readonly Dictionary<string, (string Key, string Secret, Guid AuthorizationId)> _apps = [];

    private sealed class GatewayHost(DatabaseProvider provider, string connectionString, ManualClock clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:Provider", provider.ToString());
            builder.UseSetting("Database:ConnectionString", connectionString);
            builder.UseSetting("Demo:SeedOnFirstStart", "false");
            builder.UseSetting("Timers:Enabled", "false");
            builder.UseSetting("Definitions:ImportOnStart", "false");
            builder.ConfigureTestServices(services =>
                services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<GatewayAccess>(sp, (TimeProvider)clock))));
        }
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _upstream = Upstream();
        await _upstream.StartAsync();
        var upstreamUrl = _upstream.Urls.First();

        _host = new GatewayHost(provider, _database.ConnectionString, _clock);
        _host.UseKestrel(0);
        _host.StartServer();
        _client = _host.CreateClient();
        await SeedAsync($"{upstreamUrl}/api/verify");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Test]
    public async Task An_authorised_call_is_streamed_to_the_upstream_and_back_and_logged()
    {
        var body = new string('数', 3000);
        using var request = Call(HttpMethod.Post, "ok", "people/41040019900101?fields=name");
        request.Content = new StringContent(body, Encoding.UTF8, "text/plain");

        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.GetValues("X-Upstream").Single(), Is.EqualTo("pds-test"));
        var echo = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(echo!["method"]!.GetValue<string>(), Is.EqualTo("POST"));
        Assert.That(echo["path"]!.GetValue<string>(), Is.EqualTo("/api/verify/people/41040019900101"));
        Assert.That(echo["query"]!.GetValue<string>(), Is.EqualTo("?fields=name"));
        Assert.That(echo["body"]!.GetValue<string>(), Is.EqualTo(body));
        Assert.That(echo["secretForwarded"]!.GetValue<bool>(), Is.False, "the credentials stop at the gateway");

        var logged = await LastCallAsync(_apps["ok"].AuthorizationId);
        Assert.That((logged.Status, logged.Refusal, logged.ConsumerOrgUnitId, logged.ProviderOrgUnitId), Is.EqualTo((201, (string?)null, (string?)"rsj", (string?)"mzj")));
        Assert.That(logged.BytesIn, Is.EqualTo(Encoding.UTF8.GetByteCount(body)));
        Assert.That(logged.BytesOut, Is.EqualTo((await response.Content.ReadAsByteArrayAsync()).Length));
        Assert.That(logged.LatencyMs, Is.GreaterThanOrEqualTo(0));
        Assert.That(logged.Path, Does.EndWith("people/41040019900101?fields=name"));
    }

    [TestCase("ip", HttpStatusCode.Forbidden, GatewayRefusals.IpNotAllowed, "不在授权的业务系统政务外网 IP 之内")]
    [TestCase("hours", HttpStatusCode.Forbidden, GatewayRefusals.OutsideUsageHours, "使用时间范围为 工作日 14:00-18:00")]
    [TestCase("weekend", HttpStatusCode.Forbidden, GatewayRefusals.OutsideUsageHours, "工作日 08:00-20:00")]
    [TestCase("ended", HttpStatusCode.Forbidden, GatewayRefusals.Expired, "2026-03-10 届满")]
    [TestCase("future", HttpStatusCode.Forbidden, GatewayRefusals.BeforeTerm, "2026-04-01 起")]
    [TestCase("seasonal", HttpStatusCode.Forbidden, GatewayRefusals.OutsideSeason, "2026-07-01 至 2026-09-01")]
    [TestCase("suspended", HttpStatusCode.Forbidden, GatewayRefusals.Suspended, "发现超范围使用")]
    [TestCase("unauthorised", HttpStatusCode.Forbidden, GatewayRefusals.NotAuthorized, "未获授权调用服务接口")]
    public async Task A_call_breaking_one_rule_is_refused_with_its_reason_and_logged(string app, HttpStatusCode status, string code, string detail)
    {
        // Saturday 2026-03-14 at 10:00, inside 08:00-20:00 but not a working day.
        if (app == "weekend") _clock.Set(new DateTimeOffset(2026, 3, 14, 10, 0, 0, Beijing));
        try
        {
            using var response = await _client.SendAsync(Call(HttpMethod.Get, app, "people/1"));
            await AssertProblemAsync(response, status, code, detail);
        }
        finally
        {
            _clock.Set(new DateTimeOffset(2026, 3, 11, 10, 0, 0, Beijing));
        }

        if (_apps[app].AuthorizationId != Guid.Empty)
        {
            var logged = await LastCallAsync(_apps[app].AuthorizationId);
            Assert.That((logged.Status, logged.Refusal, logged.BytesOut), Is.EqualTo(((int)status, (string?)code, logged.BytesOut)));
            Assert.That(logged.BytesOut, Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task The_daily_peak_refuses_the_call_after_it_with_429()
    {
        using var first = await _client.SendAsync(Call(HttpMethod.Get, "peak", "people/1"));
        using var second = await _client.SendAsync(Call(HttpMethod.Get, "peak", "people/2"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(second, HttpStatusCode.TooManyRequests, GatewayRefusals.DailyPeakExceeded, "每日最多调用 1 次");
    }

    [Test]
    public async Task Missing_or_wrong_credentials_and_unknown_interfaces_are_refused()
    {
        using var noKey = new HttpRequestMessage(HttpMethod.Get, new Uri($"/gateway/{_mountId:N}/x", UriKind.Relative));
        await AssertProblemAsync(await _client.SendAsync(noKey), HttpStatusCode.Unauthorized, GatewayRefusals.CredentialsMissing, "X-Pds-App-Key");

        using var wrong = Call(HttpMethod.Get, "ok", "x");
        wrong.Headers.Remove(GatewayAccess.SecretHeader);
        // Change the last character to a different one (a fixed replacement would equal it one time in 64).
        var secret = _apps["ok"].Secret;
        wrong.Headers.Add(GatewayAccess.SecretHeader, secret[..^1] + (secret[^1] == 'A' ? "B" : "A"));
        await AssertProblemAsync(await _client.SendAsync(wrong), HttpStatusCode.Unauthorized, GatewayRefusals.CredentialsInvalid, "不正确");

        using var unknown = new HttpRequestMessage(HttpMethod.Get, new Uri($"/gateway/{Guid.NewGuid():N}/x", UriKind.Relative));
        await AssertProblemAsync(await _client.SendAsync(unknown), HttpStatusCode.NotFound, GatewayRefusals.InterfaceNotFound, "服务接口");

        await using var db = _host.Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        Assert.That(await db.Calls.CountAsync(c => c.Refusal == GatewayRefusals.CredentialsInvalid && c.ApplicationId == null), Is.GreaterThanOrEqualTo(1));
    }

    private HttpRequestMessage Call(HttpMethod method, string app, string rest)
    {
        var request = new HttpRequestMessage(method, new Uri($"/gateway/{_mountId:N}/{rest}", UriKind.Relative));
        request.Headers.Add(GatewayAccess.AppKeyHeader, _apps[app].Key);
        request.Headers.Add(GatewayAccess.SecretHeader, _apps[app].Secret);
        return request;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string detail)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo(code));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(detail));
        Assert.That(problem["title"]!.GetValue<string>(), Is.Not.Empty);
    }

    private async Task<ApiCall> LastCallAsync(Guid authorizationId)
    {
        await using var db = _host.Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        return await db.Calls.AsNoTracking().Where(c => c.AuthorizationId == authorizationId).OrderByDescending(c => c.At).ThenByDescending(c => c.Id).FirstAsync();
    }

    /// <summary>An upstream that echoes what reached it, with a status and a header of its own.</summary>
    private static WebApplication Upstream()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Map("/api/verify/{**rest}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            http.Response.Headers["X-Upstream"] = "pds-test";
            http.Response.StatusCode = http.Request.Method == "POST" ? 201 : 200;
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["method"] = http.Request.Method,
                ["path"] = http.Request.Path.Value,
                ["query"] = http.Request.QueryString.Value,
                ["body"] = body,
                ["secretForwarded"] = http.Request.Headers.ContainsKey(GatewayAccess.SecretHeader),
            });
        });
        return app;
    }

    private async Task SeedAsync(string endpoint)
    {
        var services = _host.Services;
        await using (var engine = await services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            engine.OrgUnits.Add(new OrgUnitRecord { Id = "mzj", Name = "市民政局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
            engine.OrgUnits.Add(new OrgUnitRecord { Id = "rsj", Name = "市人力资源和社会保障局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
            await engine.SaveChangesAsync();
        }

        var entryId = Guid.NewGuid();
        _mountId = Guid.NewGuid();
        await using (var catalog = services.GetRequiredService<CatalogDatabase>().CreateContext())
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            await catalog.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO cat_entries (\"Id\", \"ResourceCode\", \"ProviderOrgUnitId\", \"CreatedAt\", \"CreatedBy\", \"EverPublished\", \"Revision\") VALUES ({entryId}, {"34100301/0001"}, {"mzj"}, {now}, {"test"}, {true}, {1})");
            catalog.Mounts.Add(new CatalogMount { Id = _mountId, EntryId = entryId, Kind = CatalogMountKind.Api, Target = endpoint, Name = "低保对象核验接口", MountedAt = now, MountedBy = "test" });
            await catalog.SaveChangesAsync();
        }

        var interfaces = services.GetRequiredService<InterfaceService>();
        var target = new InterfaceTarget(_mountId, entryId, "低保对象核验接口", "mzj", endpoint);
        var local = new[] { "127.0.0.1", "::1" };
        var every = "每日 00:00-24:00";
        // Wed 2026-03-11 10:00 Beijing; the weekend case is judged on its own day below.
        var cases = new (string Name, AuthorizationTerms? Terms)[]
        {
            ("ok", new(local, new(2026, 3, 1), new(2026, 12, 31), [], every, 10, 100)),
            ("ip", new(["10.0.0.0/8", "240e:1::/32"], new(2026, 3, 1), new(2026, 12, 31), [], every, 10, 100)),
            ("hours", new(local, new(2026, 3, 1), new(2026, 12, 31), [], "工作日 14:00-18:00", 10, 100)),
            ("weekend", new(local, new(2026, 3, 1), new(2026, 12, 31), [], "工作日 08:00-20:00", 10, 100)),
            ("ended", new(local, new(2026, 1, 1), new(2026, 3, 10), [], every, 10, 100)),
            ("future", new(local, new(2026, 4, 1), new(2026, 12, 31), [], every, 10, 100)),
            ("seasonal", new(local, new(2026, 3, 1), new(2026, 12, 31), [new(new(2026, 7, 1), new(2026, 9, 1))], every, 10, 100)),
            ("suspended", new(local, new(2026, 3, 1), new(2026, 12, 31), [], every, 10, 100)),
            ("peak", new(local, new(2026, 3, 1), new(2026, 12, 31), [], every, 1, 1)),
            ("unauthorised", null),
        };
        foreach (var (name, terms) in cases)
        {
            var issued = (await interfaces.CreateApplicationAsync("rsj", $"系统-{name}", "test")).Value;
            var authorizationId = Guid.Empty;
            if (terms is not null)
            {
                await using var db = services.GetRequiredService<InterfacesDatabase>().CreateContext();
                var application = await db.Applications.SingleAsync(a => a.Id == issued.Id);
                var grant = ApiAuthorization.Grant($"test/{name}/{Guid.NewGuid():N}", null, target, "rsj", application, terms, "test", _clock.GetUtcNow().UtcDateTime);
                db.Authorizations.Add(grant);
                await db.SaveChangesAsync();
                authorizationId = grant.Id;
            }

            _apps[name] = (issued.AppKey, issued.Secret, authorizationId);
        }

        Assert.That((await interfaces.SuspendAsync(_apps["suspended"].AuthorizationId, "mz.approver", "发现超范围使用")).IsSuccess, Is.True);
    }
}
