using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Host.Security;
using PdsWorkflow.Host.WebUi;
using static PdsWorkflow.Host.Tests.Http;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// What an assessor checks on the Host's HTTP answers (issue #14, docs/security.md): signed-in reads only, the security
/// headers on every answer, HSTS over HTTPS only (directly or from a configured proxy), no Server banner, the OpenAPI
/// document's server from configuration, and the web UI compressed, without inline script.
/// </summary>
public sealed partial class HttpHardeningTests
{
    private HostFactory _factory = null!;
    private ApiSessions _sessions = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new HostFactory(seedDemo: true, new Dictionary<string, string?> { ["Http:PublicBaseAddress"] = "https://sjgx.pds.example.gov.cn/" });
        _sessions = new ApiSessions(_factory);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _sessions.Dispose();
        await _factory.DisposeAsync();
    }

    [TestCase("/api/definitions")]
    [TestCase("/api/definitions/account-platform")]
    [TestCase("/api/definitions/account-platform/versions")]
    [TestCase("/api/activity-descriptors")]
    [TestCase("/api/calendar/years/2026")]
    [TestCase("/api/calendar/deadline?from=2026-02-13T10:00:00%2B08:00&days=5")]
    [TestCase("/api/calendar/notices")]
    [TestCase("/openapi/v1.json")]
    public async Task A_read_without_signing_in_is_refused_and_answers_once_signed_in(string path)
    {
        using var anonymous = _factory.CreateClient();
        var signedIn = await _sessions.AsAsync("gaj.contact");

        var refused = await anonymous.GetAsync(Url(path));
        var answered = await signedIn.GetAsync(Url(path));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await refused.JsonAsync())["code"]!.GetValue<string>(), Is.EqualTo("not_signed_in"));
        Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK), await answered.Content.ReadAsStringAsync());
    }

    /// <summary>The endpoints anybody may call: signing in and its token, the health probes, the gateway (app keys), the signed provincial callback, the web UI.</summary>
    private static readonly string[] Anonymous =
    [
        "POST /api/auth/login", "GET /api/auth/csrf", "POST /api/auth/logout", "* /health/live", "* /health/ready", "* /gateway/{interfaceCode}/{**rest}",
        "POST /api/provincial/decisions", "* {*path:nonfile}",
    ];

    [Test]
    public void Every_endpoint_requires_signing_in_except_the_listed_ones()
    {
        var open = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<AuthorizationPolicy>() is null
                        || e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => $"{(e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? string.Join(",", methods) : "*")} {e.RoutePattern.RawText}")
            .ToList();

        Assert.That(open, Is.EquivalentTo(Anonymous));
    }

    [Test]
    public async Task The_openapi_document_names_the_configured_address_never_the_requests_host()
    {
        var client = await _sessions.AsAsync("gaj.contact");
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/openapi/v1.json"));
        request.Headers.Host = "evil.example";

        var document = await (await client.SendAsync(request)).JsonAsync();

        Assert.That(document["servers"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()), Is.EqualTo(new[] { "https://sjgx.pds.example.gov.cn" }));
        Assert.That(document.ToJsonString(), Does.Not.Contain("evil.example"));
    }

    [TestCase("/api/auth/csrf", HttpStatusCode.OK)]
    [TestCase("/api/me", HttpStatusCode.Unauthorized)]
    [TestCase("/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [TestCase("/", HttpStatusCode.OK)]
    [TestCase("/tasks/deep-link", HttpStatusCode.OK)]
    public async Task Every_answer_carries_the_security_headers_and_no_hsts_over_plain_http(string path, HttpStatusCode status)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(Url(path));

        Assert.That(response.StatusCode, Is.EqualTo(status));
        AssertSecurityHeaders(response);
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS means nothing over plain HTTP");
    }

    [Test]
    public async Task Over_https_the_answer_has_hsts_and_the_session_cookie_is_secure()
    {
        using var client = _factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

        var login = await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "gaj.contact", password = ApiSessions.Password });

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        AssertSecurityHeaders(login);
        Assert.That(login.Headers.GetValues("Strict-Transport-Security").Single(), Is.EqualTo("max-age=31536000"));
        Assert.That(login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pds.session=", StringComparison.Ordinal)), Does.Contain("secure"));
    }

    [Test]
    public async Task The_web_ui_has_no_inline_script_and_its_files_are_compressed_and_cached_but_api_answers_are_not_compressed()
    {
        var folder = Path.Combine(ShippedRoot(), "src", "Host", WebUiHosting.Folder);
        Assert.That(File.Exists(Path.Combine(folder, "index.html")), Is.True, "the web UI is built by the Host's build (Node.js)");
        var index = await File.ReadAllTextAsync(Path.Combine(folder, "index.html"));
        var scripts = ScriptTag().Matches(index).Select(m => m.Value).ToList();
        Assert.That(scripts, Is.Not.Empty);
        Assert.That(scripts, Has.All.Match("src=\"/assets/[^\"]+\\.js\""), "every script is a file: the CSP allows no inline script");
        var asset = Regex.Match(index, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var client = _factory.CreateClient();

        using var brotli = new HttpRequestMessage(HttpMethod.Get, Url(asset)) { Headers = { { "Accept-Encoding", "br, gzip" } } };
        using var gzip = new HttpRequestMessage(HttpMethod.Get, Url(asset)) { Headers = { { "Accept-Encoding", "gzip" } } };
        using var api = new HttpRequestMessage(HttpMethod.Get, Url("/api/auth/csrf")) { Headers = { { "Accept-Encoding", "br, gzip" } } };
        var br = await client.SendAsync(brotli);
        var gz = await client.SendAsync(gzip);
        var json = await client.SendAsync(api);

        Assert.That(br.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        Assert.That(gz.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(br.Headers.CacheControl!.ToString(), Does.Contain("immutable"));
        Assert.That(br.Headers.Vary, Does.Contain("Accept-Encoding"));
        Assert.That((await br.Content.ReadAsByteArrayAsync()).Length, Is.LessThan(new FileInfo(Path.Combine(folder, asset.TrimStart('/'))).Length));
        Assert.That(json.Content.Headers.ContentEncoding, Is.Empty, "API answers may hold secrets next to reflected text (BREACH)");
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(HttpHardening.ContentSecurityPolicy));
        Assert.That(HttpHardening.ContentSecurityPolicy, Does.Contain("script-src 'self';").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-eval"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        Assert.That(response.Headers.Contains("Server"), Is.False);
    }

    private static string ShippedRoot() => PdsWorkflow.Tests.Support.ShippedData.RepositoryRoot;

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}

/// <summary>
/// The Host on Kestrel, where the connection's address is real: HSTS and the client's address are believed from a
/// configured proxy only, and Kestrel sends no Server header.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [TestCase(true, TestName = "A configured proxy's X-Forwarded-Proto: https makes the answer HTTPS (HSTS)")]
    [TestCase(false, TestName = "Without a configured proxy X-Forwarded-Proto is ignored")]
    public async Task Forwarded_https_counts_only_from_a_configured_proxy(bool configured)
    {
        var settings = new Dictionary<string, string?>();
        if (configured)
        {
            settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
            settings["ForwardedHeaders:KnownProxies:1"] = "::1";
        }

        await using var factory = new HostFactory(settings: settings);
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/api/auth/csrf"));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var response = await client.SendAsync(request);

        Assert.That(client.BaseAddress!.Scheme, Is.EqualTo("http"), "plain HTTP between the proxy and the Host");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        HttpHardeningTests.AssertSecurityHeaders(response);
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.EqualTo(configured));
    }

    [Test]
    public async Task Https_only_redirects_plain_http_and_refuses_a_plain_http_change_but_not_the_health_probe()
    {
        await using var factory = new HostFactory(settings: new Dictionary<string, string?>
        {
            ["Http:HttpsOnly"] = "true", ["Http:PublicBaseAddress"] = "https://sjgx.pds.example.gov.cn",
        });
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var page = await client.GetAsync(Url("/tasks?x=1"));
        var change = await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "x", password = "y" });
        var health = await client.GetAsync(Url("/health/live"));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(page.Headers.Location, Is.EqualTo(new Uri("https://sjgx.pds.example.gov.cn/tasks?x=1")));
        Assert.That((change.StatusCode, (await change.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "https_required")));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void A_bad_proxy_or_address_setting_stops_the_host_naming_the_setting()
    {
        using var factory = new HostFactory(settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "proxy.local", ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0", ["Http:PublicBaseAddress"] = "ftp://x",
        });

        Assert.That(KeySettingsTests.StartupFailures(factory), Does.Contain("ForwardedHeaders:KnownProxies").And.Contain("ForwardedHeaders:KnownNetworks").And.Contain("Http:PublicBaseAddress"));
    }
}
