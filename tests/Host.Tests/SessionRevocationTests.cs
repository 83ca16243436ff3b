using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Host.Auth.KeyRing;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// Two Host nodes on one database (SQLite file, PostgreSQL): a session signed by one is accepted by the other (one key
/// ring, in the database, encrypted), and signing out, a password reset, a role change and disabling end every session of
/// the user on both. Forty parallel wrong guesses spread over both nodes get exactly five password checks.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SessionRevocationTests(DatabaseProvider provider)
{
    private const string Password = "Pds2026demo";
    private HostFactory _first = null!;
    private HostFactory _second = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _first = await HostFactory.StartAsync(provider);
        _second = HostFactory.SecondNodeOf(_first);
        _ = _second.Services;
        await TestAccounts.SeedAsync(_first, Password,
            ("admin", "bureau", Roles.PlatformAdmin), ("security", "bureau", Roles.SecurityAdmin), ("clerk", "gaj", Roles.DataContact),
            ("reset", "gaj", Roles.DataContact), ("promoted", "gaj", Roles.DataContact), ("leaver", "gaj", Roles.DataContact),
            ("guessed", "gaj", Roles.DataContact));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    /// <summary>A client of <paramref name="node"/> that carries exactly the cookies of <paramref name="session"/> (no cookie jar of its own).</summary>
    private static async Task<HttpClient> SameSessionOnAsync(HostFactory node, HttpClient session)
    {
        var copy = node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", await AuthTests.CookieHeaderAsync(session));
        foreach (var header in session.DefaultRequestHeaders.Where(h => h.Key == AuthRegistration.CsrfHeader))
            copy.DefaultRequestHeaders.Add(header.Key, header.Value);
        return copy;
    }

    private static Uri Url(string path) => new(path, UriKind.Relative);

    [Test]
    public async Task A_session_and_its_csrf_token_from_one_node_are_accepted_by_the_other_and_the_key_ring_is_stored_encrypted()
    {
        var onFirst = await _first.SignedInAsync("clerk", Password);
        var onSecond = await SameSessionOnAsync(_second, onFirst);

        var me = await onSecond.GetFromJsonAsync<JsonObject>(Url("/api/me"));
        Assert.That(me!["id"]!.GetValue<string>(), Is.EqualTo("clerk"));
        Assert.That((await onSecond.PostAsync(Url("/api/notifications/read-all"), null)).IsSuccessStatusCode, Is.True, "the first node's CSRF token holds on the second");

        await using var keys = _first.Services.GetRequiredService<KeyRingDatabase>().CreateContext();
        var stored = await keys.DataProtectionKeys.AsNoTracking().ToListAsync();
        Assert.That(stored, Is.Not.Empty, "the key ring is in the database");
        Assert.That(stored.Select(k => k.Xml), Has.All.Contain("<encryptedKey").And.All.Not.Contain("<masterKey"));
    }

    [Test]
    public async Task Signing_out_on_one_node_ends_every_session_of_the_user_on_the_other()
    {
        var first = await _first.SignedInAsync("clerk", Password);
        var other = await _second.SignedInAsync("clerk", Password);
        var saved = await SameSessionOnAsync(_second, first);

        Assert.That((await first.PostAsync(Url("/api/auth/logout"), null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That((await saved.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the signed-out cookie on the other node");
        Assert.That((await other.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the user's other session");
    }

    [Test]
    public async Task A_password_reset_a_role_change_and_disabling_end_the_users_sessions_on_every_node()
    {
        var admin = await _first.SignedInAsync("admin", Password);
        var security = await _first.SignedInAsync("security", Password);
        var reset = await SameSessionOnAsync(_second, await _first.SignedInAsync("reset", Password));
        var promoted = await SameSessionOnAsync(_second, await _first.SignedInAsync("promoted", Password));
        var leaver = await SameSessionOnAsync(_second, await _first.SignedInAsync("leaver", Password));
        foreach (var session in new[] { reset, promoted, leaver }) Assert.That((await session.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That((await admin.PostAsJsonAsync(Url("/api/admin/users/reset/password"), new { password = "Fresh#Start2027" })).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await security.PutAsJsonAsync(Url("/api/security/users/promoted/roles"), new { roles = new[] { Roles.DataContact, Roles.Cataloger } })).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await admin.PostAsync(Url("/api/admin/users/leaver/disable"), null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        foreach (var (name, session) in new[] { ("reset", reset), ("role change", promoted), ("disabled", leaver) })
            Assert.That((await session.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), name);
    }

    [Test]
    public async Task Forty_parallel_wrong_guesses_on_two_nodes_get_exactly_five_password_checks_before_the_lockout()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var client = (i % 2 == 0 ? _first : _second).CreateClient();
            var response = await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "guessed", password = $"Wrong#guess{i:D2}x" });
            return (response.StatusCode, Code: (await response.JsonAsync())["code"]!.GetValue<string>());
        }));

        Assert.That(responses.Distinct(), Is.EqualTo(new[] { (HttpStatusCode.Unauthorized, "sign_in_failed") }), "one answer for all forty");
        await using var db = await _first.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var rows = await db.SecurityLog.AsNoTracking().Where(r => r.Object == "user:guessed").ToListAsync();
        Assert.That(rows.Count(r => r.Kind == SecurityEventKinds.SignIn && r.Detail!.EndsWith("（wrong_password）", StringComparison.Ordinal)), Is.EqualTo(5), "password checks");
        Assert.That(rows.Count(r => r.Kind == SecurityEventKinds.SignIn && r.Detail!.EndsWith("（locked）", StringComparison.Ordinal)), Is.EqualTo(35), "refused without a check");
        Assert.That(rows.Count(r => r.Kind == SecurityEventKinds.Lockout), Is.EqualTo(1));
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == "guessed");
        Assert.That(user.LockedUntil, Is.Not.Null);
        Assert.That((await _second.CreateClient().PostAsJsonAsync(Url("/api/auth/login"), new { userName = "guessed", password = Password })).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized), "locked on every node");
    }
}
