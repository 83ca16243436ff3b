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
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The Host on Kestrel (so the source address is the test's real one) in front of real upstreams on other Kestrel
/// ports, on a fresh database of one provider; the clock the gateway judges by is a manual one. The catalog rows and
/// authorisations are written directly, as an interface mounted earlier (or whose name now resolves elsewhere) would be.
/// </summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    public static readonly DateTimeOffset Wednesday = new(2026, 3, 11, 10, 0, 0, Beijing);

    private readonly TestDatabase _database;
    private readonly List<WebApplication> _upstreams = [];
    private GatewayHost _host = null!;

    private GatewayFixture(TestDatabase database) => _database = database;

    public ManualClock Clock { get; } = new(Wednesday);
    public HttpClient Client { get; private set; } = null!;
    public IServiceProvider Services => _host.Services;

    /// <summary>Calls that reached each upstream, by path.</summary>
    public List<string> UpstreamHits { get; } = [];

    public static async Task<GatewayFixture> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?> settings)
    {
        var fixture = new GatewayFixture(await TestDatabase.CreateAsync(provider));
        fixture._host = new GatewayHost(provider, fixture._database.ConnectionString, fixture.Clock, settings);
        fixture._host.UseKestrel(0);
        fixture._host.StartServer();
        fixture.Client = fixture._host.CreateClient();
        await using var engine = await fixture.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        engine.OrgUnits.Add(new OrgUnitRecord { Id = "mzj", Name = "市民政局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        engine.OrgUnits.Add(new OrgUnitRecord { Id = "rsj", Name = "市人力资源和社会保障局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        await engine.SaveChangesAsync();
        return fixture;
    }

    /// <summary>
    /// An upstream on 127.0.0.1 that echoes what reached it (method, path, query, body, the request headers) with a
    /// status and headers of its own, among them a cookie and a hop-by-hop header the gateway must not pass back.
    /// </summary>
    public async Task<string> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Map("/api/verify/{**rest}", async (HttpContext http) =>
        {
            lock (UpstreamHits) UpstreamHits.Add(http.Request.Path.Value!);
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            http.Response.Headers["X-Upstream"] = "pds-test";
            http.Response.Headers.SetCookie = "upstream-session=abc; Path=/";
            http.Response.Headers["Proxy-Authenticate"] = "Basic realm=\"upstream\"";
            http.Response.StatusCode = http.Request.Method == "POST" ? 201 : 200;
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["method"] = http.Request.Method,
                ["path"] = http.Request.Path.Value,
                ["query"] = http.Request.QueryString.Value,
                ["body"] = body,
                ["secretForwarded"] = http.Request.Headers.ContainsKey(GatewayAccess.SecretHeader),
                ["headers"] = new JsonObject(http.Request.Headers.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), (JsonNode?)h.Value.ToString()))),
            });
        });
        await app.StartAsync();
        _upstreams.Add(app);
        return app.Urls.First();
    }

    /// <summary>An interface of 市民政局 mounted at <paramref name="endpoint"/>; its id is the gateway's interface code.</summary>
    public async Task<Guid> MountAsync(string endpoint)
    {
        var entryId = Guid.NewGuid();
        var mountId = Guid.NewGuid();
        await using var catalog = Services.GetRequiredService<CatalogDatabase>().CreateContext();
        var now = Clock.GetUtcNow().UtcDateTime;
        var code = $"3410{Random.Shared.Next(1000, 9999)}/{Random.Shared.Next(1000, 9999)}";
        await catalog.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO cat_entries (\"Id\", \"ResourceCode\", \"ProviderOrgUnitId\", \"CreatedAt\", \"CreatedBy\", \"EverPublished\", \"Revision\") VALUES ({entryId}, {code}, {"mzj"}, {now}, {"test"}, {true}, {1})");
        catalog.Mounts.Add(new CatalogMount { Id = mountId, EntryId = entryId, Kind = CatalogMountKind.Api, Target = endpoint, Name = "低保对象核验接口", MountedAt = now, MountedBy = "test" });
        await catalog.SaveChangesAsync();
        return mountId;
    }

    /// <summary>A business system of 市人社局 with credentials, and (unless <paramref name="terms"/> is null) its authorisation of the interface.</summary>
    public async Task<(string Key, string Secret, Guid AuthorizationId)> ApplicationAsync(Guid mountId, string name, AuthorizationTerms? terms)
    {
        var interfaces = Services.GetRequiredService<InterfaceService>();
        var issued = (await interfaces.CreateApplicationAsync("rsj", name, "test")).Value;
        if (terms is null) return (issued.AppKey, issued.Secret, Guid.Empty);
        await using var db = Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        var application = await db.Applications.SingleAsync(a => a.Id == issued.Id);
        var target = new InterfaceTarget(mountId, Guid.Empty, "低保对象核验接口", "mzj", "");
        var grant = ApiAuthorization.Grant($"test/{name}/{Guid.NewGuid():N}", null, target, "rsj", application, terms, "test", Clock.GetUtcNow().UtcDateTime);
        db.Authorizations.Add(grant);
        await db.SaveChangesAsync();
        return (issued.AppKey, issued.Secret, grant.Id);
    }

    public static AuthorizationTerms Terms(string[]? ips = null, DateOnly? start = null, DateOnly? end = null, IReadOnlyList<SeasonalWindow>? seasons = null,
        string hours = "每日 00:00-24:00", int average = 10, int peak = 100) =>
        new(ips ?? ["127.0.0.1", "::1"], start ?? new(2026, 3, 1), end ?? new(2026, 12, 31), seasons ?? [], hours, average, peak);

    public static HttpRequestMessage Call(HttpMethod method, Guid mountId, (string Key, string Secret, Guid _) app, string rest)
    {
        var request = new HttpRequestMessage(method, new Uri($"/gateway/{mountId:N}/{rest}", UriKind.Relative));
        request.Headers.Add(GatewayAccess.AppKeyHeader, app.Key);
        request.Headers.Add(GatewayAccess.SecretHeader, app.Secret);
        return request;
    }

    public async Task<ApiCall> LastCallAsync(Guid authorizationId)
    {
        await using var db = Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        return await db.Calls.AsNoTracking().Where(c => c.AuthorizationId == authorizationId).OrderByDescending(c => c.At).ThenByDescending(c => c.Id).FirstAsync();
    }

    public async Task<(int Rows, long Counted)> CallsAsync(string? refusal = null)
    {
        await using var db = Services.GetRequiredService<InterfacesDatabase>().CreateContext();
        var rows = await db.Calls.CountAsync(c => refusal == null || c.Refusal == refusal);
        var counted = (await db.CallCounters.Where(c => refusal == null || c.Refusal == refusal).Select(c => c.Calls).ToListAsync()).Sum();
        return (rows, counted);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        foreach (var upstream in _upstreams) await upstream.DisposeAsync();
        await _database.DisposeAsync();
    }

    private sealed class GatewayHost(DatabaseProvider provider, string connectionString, ManualClock clock, IReadOnlyDictionary<string, string?> settings)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:Provider", provider.ToString());
            builder.UseSetting("Database:ConnectionString", connectionString);
            builder.UseSetting("Demo:SeedOnFirstStart", "false");
            builder.UseSetting("Timers:Enabled", "false");
            builder.UseSetting("Definitions:ImportOnStart", "false");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<GatewayAccess>(sp, (TimeProvider)clock)));
                services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<InterfaceService>(sp, (TimeProvider)clock)));
            });
        }
    }
}
