using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Calendar;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

public sealed class AuthTests
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
        db.OrgUnits.Add(new OrgUnitRecord { Id = "gaj", Name = "市公安局", Kind = OrgUnitKinds.MunicipalDepartment, RegionCode = "410400" });
        foreach (var (id, unit, role) in new[]
                 {
                     ("admin", "bureau", Roles.PlatformAdmin), ("security", "bureau", Roles.SecurityAdmin), ("approver", "gaj", Roles.ProviderApprover),
                     ("victim", "gaj", Roles.DataContact), ("promoted", "gaj", Roles.ProviderApprover),
                 })
        {
            var user = new UserRecord { Id = id, DisplayName = id, OrgUnitId = unit, CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
            user.PasswordHash = PasswordPolicy.Hash(Password);
            db.Users.Add(user);
            db.UserRoles.Add(new UserRoleRecord { UserId = id, Role = role, OrgUnitId = unit });
        }

        await db.SaveChangesAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _factory.DisposeAsync();

    private Task<HttpClient> SignedInAsync(string user) => _factory.SignedInAsync(user, Password);

    [Test]
    public async Task A_role_change_by_the_security_admin_ends_the_users_session_and_the_next_one_has_the_new_roles()
    {
        var security = await SignedInAsync("security");
        var approver = await SignedInAsync("promoted");
        var outbox = new Uri("/api/outbox/dead-letters", UriKind.Relative);
        Assert.That((await approver.GetAsync(outbox)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var admin = await SignedInAsync("admin");
        Assert.That((await admin.PutAsJsonAsync(new Uri("/api/admin/users/promoted/roles", UriKind.Relative), new { roles = new[] { Roles.PlatformAdmin } })).StatusCode,
            Is.Not.EqualTo(HttpStatusCode.OK), "the platform admin no longer assigns roles");

        var granted = await security.PutAsJsonAsync(new Uri("/api/security/users/promoted/roles", UriKind.Relative),
            new { roles = new[] { Roles.ProviderApprover, Roles.PlatformSupport } });
        Assert.That(granted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await granted.Content.ReadAsStringAsync());

        var ended = await approver.GetAsync(outbox);
        Assert.That((ended.StatusCode, (await ended.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Unauthorized, "session_revoked")));
        var again = await SignedInAsync("promoted");
        var me = await again.GetFromJsonAsync<JsonObject>(new Uri("/api/me", UriKind.Relative));
        Assert.That(me!["roles"]!.AsArray().Select(r => r!["role"]!.GetValue<string>()), Is.EquivalentTo(new[] { Roles.ProviderApprover, Roles.PlatformSupport }));
    }

    [Test]
    public async Task A_password_hashed_for_the_modules_signs_in()
    {
        // The account steps hash issued passwords through IUserPasswordHasher; the Host's sign-in must accept them.
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            db.Users.Add(new UserRecord
            {
                Id = "issued", DisplayName = "issued", OrgUnitId = "gaj", CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                PasswordHash = _factory.Services.GetRequiredService<IUserPasswordHasher>().Hash("Issued!Pass_2026xyzQ"),
            });
            await db.SaveChangesAsync();
        }

        var response = await _factory.CreateClient().PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName = "issued", password = "Issued!Pass_2026xyzQ" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Only_a_platform_admin_sees_and_retries_dead_letters()
    {
        var id = Guid.NewGuid();
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            var at = new DateTime(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
            db.Outbox.Add(new OutboxRecord { Id = id, Type = "test.nobody-delivers", Key = $"dead:{id:N}", PayloadJson = "{}", CreatedAt = at, NextAttemptAt = at, Attempts = 10, DeadAt = at, LastError = "SmtpException: mailbox unavailable" });
            await db.SaveChangesAsync();
        }

        var approver = await SignedInAsync("approver");
        Assert.That((await approver.GetAsync(new Uri("/api/outbox/dead-letters", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var admin = await SignedInAsync("admin");
        var dead = await admin.GetFromJsonAsync<JsonArray>(new Uri("/api/outbox/dead-letters", UriKind.Relative));
        var letter = dead!.Single(m => m!["id"]!.GetValue<Guid>() == id)!;
        Assert.That((letter["lastError"]!.GetValue<string>(), letter["payloadJson"]), Is.EqualTo(("SmtpException: mailbox unavailable", (JsonNode?)null)));
        var retried = await admin.PostAsync(new Uri($"/api/outbox/{id}/retry", UriKind.Relative), null);
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var again = await admin.PostAsync(new Uri($"/api/outbox/{id}/retry", UriKind.Relative), null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Signing_in_sets_a_session_that_says_who_i_am_and_signing_out_ends_a_copy_of_the_cookie_too()
    {
        var client = await SignedInAsync("approver");
        var copy = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", await CookieHeaderAsync(client));
        var me = await client.GetFromJsonAsync<JsonObject>(new Uri("/api/auth/me", UriKind.Relative));
        Assert.That((me!["id"]!.GetValue<string>(), me["orgUnitId"]!.GetValue<string>()), Is.EqualTo(("approver", "gaj")));
        Assert.That(me["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { Roles.ProviderApprover }));
        Assert.That((await copy.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the saved cookie works before");

        Assert.That((await client.PostAsync(new Uri("/api/auth/logout", UriKind.Relative), null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That((await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await copy.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a cookie saved before the sign-out");
    }

    [Test]
    public async Task An_unknown_user_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        var client = _factory.CreateClient();
        async Task<(HttpStatusCode, string)> TryAsync(string user, string password)
        {
            var response = await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName = user, password });
            var body = await response.JsonAsync();
            body.Remove("traceId");
            return (response.StatusCode, body.ToJsonString());
        }

        var unknown = await TryAsync("nobody", "whatever1");
        Assert.That(unknown.Item1, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unknown.Item2, Does.Contain("sign_in_failed"));
        for (var i = 0; i < 5; i++) Assert.That(await TryAsync("victim", "wrong-password-1"), Is.EqualTo(unknown), $"wrong password {i + 1}");
        Assert.That(await TryAsync("victim", Password), Is.EqualTo(unknown), "locked, even with the right password, answers like an unknown name");
        for (var i = 0; i < 6; i++) Assert.That(await TryAsync("nobody", "whatever1"), Is.EqualTo(unknown), "an unknown name never answers otherwise");
        Assert.That((await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName = "", password = "" })).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest));

        var security = await SignedInAsync("security");
        Assert.That((await security.PostAsync(new Uri("/api/security/users/victim/unlock", UriKind.Relative), null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName = "victim", password = Password })).StatusCode,
            Is.EqualTo(HttpStatusCode.OK), "the security admin unlocked it");
    }

    internal static async Task<string> CookieHeaderAsync(HttpClient signedIn)
    {
        // The test server's client keeps cookies in its own handler: read them back from a request it makes.
        var echo = await signedIn.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        return string.Join("; ", echo.RequestMessage!.Headers.TryGetValues("Cookie", out var values) ? values : []);
    }

    private const string Notice2027 = """
        { "year": 2027, "noticeNumber": "国办发明电〔2026〕99号（测试）", "publishedOn": "2026-11-20", "source": "测试数据",
          "periods": [ { "name": "春节", "firstDayOff": "2027-02-05", "lastDayOff": "2027-02-12", "makeupWorkdays": ["2027-02-20"] } ] }
        """;

    [Test]
    public async Task Only_a_platform_admin_with_a_csrf_token_may_upload_a_holiday_notice()
    {
        var anonymous = _factory.CreateClient();
        var approver = await SignedInAsync("approver");
        var admin = await SignedInAsync("admin");
        var noToken = await SignedInAsync("admin");
        noToken.DefaultRequestHeaders.Remove(AuthRegistration.CsrfHeader);
        StringContent Body() => new(Notice2027, Encoding.UTF8, "application/json");
        var uri = new Uri("/api/calendar/notices", UriKind.Relative);

        Assert.That((await anonymous.PostAsync(uri, Body())).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var forged = await noToken.PostAsync(uri, Body());
        Assert.That((await forged.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("csrf_token_invalid"));
        Assert.That((await approver.PostAsync(uri, Body())).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var bad = await admin.PostAsync(uri, new StringContent("""{ "year": 2027 }""", Encoding.UTF8, "application/json"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_factory.Services.GetRequiredService<WorkingDayCalendar>().IsProvisional(2027), Is.True);

        var accepted = await admin.PostAsync(uri, Body());

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        Assert.That(_factory.Services.GetRequiredService<WorkingDayCalendar>().IsProvisional(2027), Is.False);
        var day = await admin.GetFromJsonAsync<JsonObject>(new Uri("/api/calendar/deadline?from=2027-02-01T10:00:00%2B08:00&days=5", UriKind.Relative));
        Assert.That(day!["deadline"]!.GetValue<string>(), Is.EqualTo("2027-02-16T23:59:59+08:00"));
    }
}
