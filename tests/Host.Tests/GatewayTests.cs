using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Workflows.Persistence;
using static PdsWorkflow.Host.Tests.GatewayFixture;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The gateway in front of a real upstream on this machine (listed in <c>Gateway:AllowedUpstreams</c> here), on each
/// database provider. One authorisation per rule, each failing only that rule.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class GatewayTests(DatabaseProvider provider)
{
    private GatewayFixture _gateway = null!;
    private Guid _mountId;
    private readonly Dictionary<string, (string Key, string Secret, Guid AuthorizationId)> _apps = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _gateway = await GatewayFixture.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Gateway:AllowedUpstreams:0"] = "127.0.0.1",
            // The refusals below come from this machine too: the limit of refused calls is not what is tested here.
            ["Gateway:FailureLimit"] = "1000",
        });
        _mountId = await _gateway.MountAsync($"{await _gateway.StartUpstreamAsync()}/api/verify");
        // Wed 2026-03-11 10:00 Beijing; the weekend case is judged on its own day below.
        var cases = new (string Name, AuthorizationTerms? Terms)[]
        {
            ("ok", Terms()),
            ("ip", Terms(ips: ["10.0.0.0/8", "240e:1::/32"])),
            ("hours", Terms(hours: "工作日 14:00-18:00")),
            ("weekend", Terms(hours: "工作日 08:00-20:00")),
            ("ended", Terms(start: new(2026, 1, 1), end: new(2026, 3, 10))),
            ("future", Terms(start: new(2026, 4, 1))),
            ("seasonal", Terms(seasons: [new(new(2026, 7, 1), new(2026, 9, 1))])),
            ("suspended", Terms()),
            ("peak", Terms(average: 1, peak: 1)),
            ("unauthorised", null),
        };
        foreach (var (name, terms) in cases) _apps[name] = await _gateway.ApplicationAsync(_mountId, $"系统-{name}", terms);
        var suspended = await _gateway.Services.GetRequiredService<InterfaceService>().SuspendAsync(_apps["suspended"].AuthorizationId, "mz.approver", "发现超范围使用");
        Assert.That(suspended.IsSuccess, Is.True);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
    }

    [Test]
    public async Task An_authorised_call_is_streamed_to_the_upstream_and_back_and_logged()
    {
        var body = new string('数', 3000);
        using var request = Call(HttpMethod.Post, _mountId, _apps["ok"], "people/41040019900101?fields=name");
        request.Content = new StringContent(body, Encoding.UTF8, "text/plain");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.GetValues("X-Upstream").Single(), Is.EqualTo("pds-test"));
        var echo = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(echo!["method"]!.GetValue<string>(), Is.EqualTo("POST"));
        Assert.That(echo["path"]!.GetValue<string>(), Is.EqualTo("/api/verify/people/41040019900101"));
        Assert.That(echo["query"]!.GetValue<string>(), Is.EqualTo("?fields=name"));
        Assert.That(echo["body"]!.GetValue<string>(), Is.EqualTo(body));
        Assert.That(echo["secretForwarded"]!.GetValue<bool>(), Is.False, "the credentials stop at the gateway");

        var logged = await _gateway.LastCallAsync(_apps["ok"].AuthorizationId);
        Assert.That((logged.Status, logged.Refusal, logged.ConsumerOrgUnitId, logged.ProviderOrgUnitId), Is.EqualTo((201, (string?)null, (string?)"rsj", (string?)"mzj")));
        Assert.That(logged.BytesIn, Is.EqualTo(Encoding.UTF8.GetByteCount(body)));
        Assert.That(logged.BytesOut, Is.EqualTo((await response.Content.ReadAsByteArrayAsync()).Length));
        Assert.That(logged.LatencyMs, Is.GreaterThanOrEqualTo(0));
        Assert.That(logged.Path, Does.EndWith("people/41040019900101?fields=name"));
    }

    [Test]
    public async Task Forwarding_headers_the_client_set_are_dropped_and_the_upstreams_cookie_and_hop_by_hop_headers_do_not_come_back()
    {
        using var request = Call(HttpMethod.Get, _mountId, _apps["ok"], "people/1");
        request.Headers.Add("X-Forwarded-For", "10.9.9.9");
        request.Headers.Add("X-Real-IP", "10.9.9.9");
        request.Headers.Add("Forwarded", "for=10.9.9.9;host=intranet.local;proto=https");
        request.Headers.Add("X-Forwarded-Host", "intranet.local");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Cookie", "pds.session=stolen");
        request.Headers.Add("X-Business-Trace", "kept");

        using var response = await _gateway.Client.SendAsync(request);
        var seen = (await response.Content.ReadFromJsonAsync<JsonObject>())!["headers"]!.AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(seen["x-forwarded-for"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"), "the gateway's own, the address the call came from");
        Assert.That(seen.Select(h => h.Key), Has.None.AnyOf("x-real-ip", "forwarded", "x-forwarded-host", "x-forwarded-proto", "cookie",
            GatewayAccess.AppKeyHeader.ToLowerInvariant(), GatewayAccess.SecretHeader.ToLowerInvariant()));
        Assert.That(seen["x-business-trace"]!.GetValue<string>(), Is.EqualTo("kept"));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False, "a cookie of the upstream would be set on the platform's origin");
        Assert.That(response.Headers.Contains("Proxy-Authenticate"), Is.False);
        Assert.That(response.Headers.GetValues("X-Upstream").Single(), Is.EqualTo("pds-test"));
        Assert.That((await _gateway.LastCallAsync(_apps["ok"].AuthorizationId)).SourceIp, Is.EqualTo("127.0.0.1"), "a client's X-Forwarded-For does not change its address");
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
        if (app == "weekend") _gateway.Clock.Set(new DateTimeOffset(2026, 3, 14, 10, 0, 0, Beijing));
        try
        {
            using var response = await _gateway.Client.SendAsync(Call(HttpMethod.Get, _mountId, _apps[app], "people/1"));
            await AssertProblemAsync(response, status, code, detail);
        }
        finally
        {
            _gateway.Clock.Set(Wednesday);
        }

        if (_apps[app].AuthorizationId != Guid.Empty)
        {
            var logged = await _gateway.LastCallAsync(_apps[app].AuthorizationId);
            Assert.That((logged.Status, logged.Refusal), Is.EqualTo(((int)status, (string?)code)));
            Assert.That(logged.BytesOut, Is.GreaterThan(0));
        }
    }

    [Test]
    public async Task The_daily_peak_refuses_the_call_after_it_with_429()
    {
        using var first = await _gateway.Client.SendAsync(Call(HttpMethod.Get, _mountId, _apps["peak"], "people/1"));
        using var second = await _gateway.Client.SendAsync(Call(HttpMethod.Get, _mountId, _apps["peak"], "people/2"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(second, HttpStatusCode.TooManyRequests, GatewayRefusals.DailyPeakExceeded, "每日最多调用 1 次");
    }

    [Test]
    public async Task Missing_or_wrong_credentials_and_unknown_interfaces_are_refused_and_counted_not_logged_row_by_row()
    {
        var (rowsBefore, _) = await _gateway.CallsAsync();
        var (_, missingBefore) = await _gateway.CallsAsync(GatewayRefusals.CredentialsMissing);
        var (_, invalidBefore) = await _gateway.CallsAsync(GatewayRefusals.CredentialsInvalid);
        var (_, unknownBefore) = await _gateway.CallsAsync(GatewayRefusals.InterfaceNotFound);

        using var noKey = new HttpRequestMessage(HttpMethod.Get, new Uri($"/gateway/{_mountId:N}/x", UriKind.Relative));
        await AssertProblemAsync(await _gateway.Client.SendAsync(noKey), HttpStatusCode.Unauthorized, GatewayRefusals.CredentialsMissing, "X-Pds-App-Key");

        // Change the last character to a different one (a fixed replacement would equal it one time in 64).
        var secret = _apps["ok"].Secret;
        using var wrong = Call(HttpMethod.Get, _mountId, (_apps["ok"].Key, secret[..^1] + (secret[^1] == 'A' ? "B" : "A"), Guid.Empty), "x");
        await AssertProblemAsync(await _gateway.Client.SendAsync(wrong), HttpStatusCode.Unauthorized, GatewayRefusals.CredentialsInvalid, "不正确");

        using var unknown = new HttpRequestMessage(HttpMethod.Get, new Uri($"/gateway/{Guid.NewGuid():N}/x", UriKind.Relative));
        await AssertProblemAsync(await _gateway.Client.SendAsync(unknown), HttpStatusCode.NotFound, GatewayRefusals.InterfaceNotFound, "服务接口");

        Assert.That((await _gateway.CallsAsync()).Rows, Is.EqualTo(rowsBefore));
        Assert.That((await _gateway.CallsAsync(GatewayRefusals.CredentialsMissing)).Counted, Is.EqualTo(missingBefore + 1));
        Assert.That((await _gateway.CallsAsync(GatewayRefusals.CredentialsInvalid)).Counted, Is.EqualTo(invalidBefore + 1));
        Assert.That((await _gateway.CallsAsync(GatewayRefusals.InterfaceNotFound)).Counted, Is.EqualTo(unknownBefore + 1));
        await using var db = _gateway.Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        var counter = await db.CallCounters.SingleAsync(c => c.Refusal == GatewayRefusals.CredentialsInvalid);
        Assert.That((counter.MountId, counter.ProviderOrgUnitId, counter.Day), Is.EqualTo((_mountId, (string?)"mzj", new DateOnly(2026, 3, 11))));
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string detail)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo(code));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(detail));
        Assert.That(problem["title"]!.GetValue<string>(), Is.Not.Empty);
    }
}

/// <summary>
/// The gateway's defences with the default network rules, on each database provider: an upstream on this machine is
/// refused when forwarding (however the interface came to point there), and a source that keeps failing is limited and
/// its calls only counted.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class GatewayDefenceTests(DatabaseProvider provider)
{
    private const int FailureLimit = 20;
    private GatewayFixture _gateway = null!;
    private string _upstream = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _gateway = await GatewayFixture.StartAsync(provider, new Dictionary<string, string?> { ["Gateway:FailureLimit"] = FailureLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _upstream = await _gateway.StartUpstreamAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
    }

    [TestCase("127.0.0.1", TestName = "An upstream on a loopback address is refused when forwarding by default")]
    [TestCase("localhost", TestName = "An upstream whose name resolves to loopback is refused when forwarding by default")]
    [Order(1)]
    public async Task An_upstream_on_this_machine_is_refused_when_forwarding(string host)
    {
        var mountId = await _gateway.MountAsync(_upstream.Replace("127.0.0.1", host, StringComparison.Ordinal) + "/api/verify");
        var app = await _gateway.ApplicationAsync(mountId, $"系统-{Guid.NewGuid():N}", Terms());
        var hits = _gateway.UpstreamHits.Count;

        using var response = await _gateway.Client.SendAsync(Call(HttpMethod.Get, mountId, app, "people/1"));

        await GatewayTests.AssertProblemAsync(response, HttpStatusCode.BadGateway, GatewayRefusals.UpstreamNotAllowed, "内部网络地址");
        Assert.That(_gateway.UpstreamHits, Has.Count.EqualTo(hits), "nothing reached the upstream");
        var logged = await _gateway.LastCallAsync(app.AuthorizationId);
        Assert.That((logged.Status, logged.Refusal), Is.EqualTo((502, (string?)GatewayRefusals.UpstreamNotAllowed)));
    }

    [Test]
    [Order(2)]
    public async Task Anonymous_calls_to_random_paths_are_limited_per_source_and_counted_not_stored_row_by_row()
    {
        var (rows, counted) = await _gateway.CallsAsync();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 200; i++)
        {
            using var response = await _gateway.Client.GetAsync(new Uri($"/gateway/{Guid.NewGuid():N}/{Guid.NewGuid():N}?q={i}", UriKind.Relative));
            statuses.Add(response.StatusCode);
            if (i == 199)
            {
                await GatewayTests.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, GatewayRefusals.TooManyFailures, "失败调用过多");
                Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            }
        }

        Assert.That(statuses.Count(s => s == HttpStatusCode.NotFound), Is.EqualTo(FailureLimit));
        Assert.That(statuses.Skip(FailureLimit), Has.All.EqualTo(HttpStatusCode.TooManyRequests));
        var (rowsAfter, countedAfter) = await _gateway.CallsAsync();
        Assert.That(rowsAfter, Is.EqualTo(rows), "no call-log row for an anonymous call");
        Assert.That(countedAfter, Is.EqualTo(counted + 200));
        await using var db = _gateway.Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        Assert.That(await db.CallCounters.CountAsync(), Is.LessThanOrEqualTo(3), "one counter per day and reason, not one per path");
    }
}
