using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// The password rules, the forced change, expiry, the second factor (RFC 6238 windows), progressive lockout and the
/// per-source throttle, on a Host whose clock is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class SignInRulesTests
{
    private const string Password = "Pds2026demo";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
    private HostFactory _factory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new HostFactory { Clock = _clock };
        _ = _factory.CreateClient();
        await TestAccounts.SeedAsync(_factory, Password,
            ("admin", "bureau", Roles.PlatformAdmin), ("security", "bureau", Roles.SecurityAdmin), ("auditor", "bureau", Roles.Auditor),
            ("chooser", "gaj", Roles.DataContact), ("forced", "gaj", Roles.DataContact), ("ageing", "gaj", Roles.DataContact),
            ("totp.user", "bureau", Roles.WorkflowAdmin), ("slow", "gaj", Roles.DataContact));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _factory.DisposeAsync();

    private static Uri Url(string path) => new(path, UriKind.Relative);

    private async Task<(HttpClient Client, JsonObject Answer)> PasswordOnlyAsync(string user, string password = Password)
    {
        var client = _factory.CreateClient();
        var response = await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = user, password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        await client.AddCsrfAsync();
        return (client, await response.JsonAsync());
    }

    private async Task<List<SecurityEventRecord>> LogAsync(string target)
    {
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        return await db.SecurityLog.AsNoTracking().Where(r => r.Object == target).OrderBy(r => r.Sequence).ToListAsync();
    }

    [TestCase("Short1a", Description = "too short")]
    [TestCase("aaaaaaaaa1", Description = "two classes")]
    [TestCase("Password12", Description = "a common word")]
    [TestCase("Chooser#2026x", Description = "contains the user name")]
    [TestCase("abcdefghijk", Description = "one class")]
    public async Task A_weak_password_is_refused_with_a_field_error(string weak)
    {
        var (client, _) = await PasswordOnlyAsync("chooser");
        var response = await client.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = Password, newPassword = weak });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "newPassword" }));
    }

    [Test]
    public async Task None_of_the_last_five_passwords_may_be_chosen_again()
    {
        var (client, _) = await PasswordOnlyAsync("chooser");
        string[] chosen = ["River#Stone2027", "Maple#Leaf2028", "Cloud#Nine2029", "Amber#Light2030", "Silver#Moon2031"];
        var current = Password;
        foreach (var next in chosen)
        {
            var changed = await client.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = current, newPassword = next });
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await changed.Content.ReadAsStringAsync());
            current = next;
        }

        foreach (var recent in chosen.Skip(1))
        {
            var again = await client.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = current, newPassword = recent });
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), recent);
        }

        var oldest = await client.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = current, newPassword = chosen[0] });
        Assert.That(oldest.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the first choice is still among the last five (with the one before it)");
        var sixthBack = await client.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = current, newPassword = Password });
        Assert.That(sixthBack.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "six changes back is allowed again");
    }

    [Test]
    public async Task After_an_admin_reset_the_user_must_change_the_password_before_anything_else()
    {
        var admin = await _factory.SignedInAsync("admin", Password);
        Assert.That((await admin.PostAsJsonAsync(Url("/api/admin/users/forced/password"), new { password = "Given#ByAdmin2026" })).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));

        var (client, answer) = await PasswordOnlyAsync("forced", "Given#ByAdmin2026");
        Assert.That(answer["pending"]!.GetValue<string>(), Is.EqualTo(PendingSteps.PasswordChange));
        var tasks = await client.GetAsync(Url("/api/tasks/counts"));
        Assert.That((tasks.StatusCode, (await tasks.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Forbidden, PendingSteps.PasswordChange)));
        Assert.That((await client.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "who-am-I stays open");

        var changed = await client.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = "Given#ByAdmin2026", newPassword = "Mine#Own2026xyz" });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await changed.Content.ReadAsStringAsync());
        Assert.That((await client.GetAsync(Url("/api/tasks/counts"))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "open once changed, in the same session");
        Assert.That((await LogAsync("user:forced")).Select(r => (r.Kind, r.Result)),
            Is.SupersetOf(new[] { (SecurityEventKinds.PasswordReset, SecurityResults.Success), (SecurityEventKinds.PasswordChanged, SecurityResults.Success) }));
    }

    [Test]
    public async Task A_password_older_than_ninety_days_must_be_changed()
    {
        var (client, _) = await PasswordOnlyAsync("ageing");
        Assert.That((await client.GetAsync(Url("/api/tasks/counts"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
            await db.Users.Where(u => u.Id == "ageing").ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordChangedAt, _clock.GetUtcNow().UtcDateTime.AddDays(-90)));

        var expired = await client.GetAsync(Url("/api/tasks/counts"));
        Assert.That((expired.StatusCode, (await expired.JsonAsync())["code"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.Forbidden, PendingSteps.PasswordExpired)));
    }

    [Test]
    public async Task A_second_factor_is_enrolled_with_a_code_and_then_required_once_per_step()
    {
        var (client, answer) = await PasswordOnlyAsync("totp.user");
        Assert.That(answer["pending"]!.GetValue<string>(), Is.EqualTo(PendingSteps.SecondFactorEnrolment), "a workflow admin must have one");
        Assert.That((await client.GetAsync(Url("/api/designer/roles"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "nothing else before enrolling");
        var setup = await (await client.PostAsync(Url("/api/auth/second-factor/setup"), null)).JsonAsync();
        Assert.That(setup["qrCodePng"]!.GetValue<string>(), Does.StartWith("data:image/png;base64,"));
        Assert.That(setup["otpAuthUri"]!.GetValue<string>(), Does.StartWith("otpauth://totp/").And.Contain("secret=" + setup["secret"]!.GetValue<string>()));
        var totp = new Totp(Base32Encoding.ToBytes(setup["secret"]!.GetValue<string>()));
        string CodeAt(TimeSpan offset) => totp.ComputeTotp(_clock.GetUtcNow().UtcDateTime + offset);

        var wrong = await client.PostAsJsonAsync(Url("/api/auth/second-factor/confirm"), new { code = CodeAt(TimeSpan.FromMinutes(-5)) });
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a code five minutes old");
        var confirmed = await client.PostAsJsonAsync(Url("/api/auth/second-factor/confirm"), new { code = CodeAt(TimeSpan.Zero) });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await confirmed.Content.ReadAsStringAsync());
        Assert.That((await client.GetAsync(Url("/api/designer/roles"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        async Task<HttpResponseMessage> SignInAsync(string? code) =>
            await _factory.CreateClient().PostAsJsonAsync(Url("/api/auth/login"), new { userName = "totp.user", password = Password, code });
        Assert.That((await (await SignInAsync(null)).JsonAsync())["secondFactorRequired"]!.GetValue<bool>(), Is.True);
        Assert.That((await SignInAsync(CodeAt(TimeSpan.Zero))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the enrolment's code is used up");
        Assert.That((await SignInAsync(CodeAt(TimeSpan.FromSeconds(-60)))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "two steps back");
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.That((await SignInAsync(CodeAt(TimeSpan.FromSeconds(30)))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "one step ahead is clock drift");
        Assert.That((await SignInAsync(CodeAt(TimeSpan.FromSeconds(30)))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a replayed code");
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That((await SignInAsync(CodeAt(TimeSpan.Zero))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var security = await _factory.SignedInAsync("security", Password);
        Assert.That((await security.PostAsync(Url("/api/security/users/totp.user/reset-second-factor"), null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync(Url("/api/me"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a reset ends the sessions");
        var (_, again) = await PasswordOnlyAsync("totp.user");
        Assert.That(again["pending"]!.GetValue<string>(), Is.EqualTo(PendingSteps.SecondFactorEnrolment), "enrols anew after the reset");
        Assert.That((await LogAsync("user:totp.user")).Select(r => (r.Kind, r.Result)), Is.SupersetOf(new[]
        {
            (SecurityEventKinds.SecondFactorEnrolled, SecurityResults.Failure), (SecurityEventKinds.SecondFactorEnrolled, SecurityResults.Success),
            (SecurityEventKinds.SignIn, SecurityResults.Failure), (SecurityEventKinds.SecondFactorReset, SecurityResults.Success),
        }));
    }

    [Test]
    public async Task A_lockout_is_short_and_each_further_one_before_a_success_lasts_longer()
    {
        var client = _factory.CreateClient();
        async Task<HttpStatusCode> TryAsync(string password) =>
            (await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "slow", password })).StatusCode;
        for (var i = 0; i < 5; i++) await TryAsync("Wrong#guess2026");
        Assert.That(await TryAsync(Password), Is.EqualTo(HttpStatusCode.Unauthorized), "locked");
        _clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 5; i++) await TryAsync("Wrong#guess2026");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await TryAsync(Password), Is.EqualTo(HttpStatusCode.Unauthorized), "the second lockout lasts ten minutes");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await TryAsync(Password), Is.EqualTo(HttpStatusCode.OK));
        var lockouts = (await LogAsync("user:slow")).Where(r => r.Kind == SecurityEventKinds.Lockout).Select(r => r.Detail).ToList();
        Assert.That(lockouts, Has.Count.EqualTo(2));
        Assert.That(lockouts[1], Does.Contain("锁定 10 分钟"));
    }

    [Test]
    public async Task Sign_ins_from_one_source_address_are_throttled_before_any_account_is_touched()
    {
        await using var strict = new HostFactory();
        strict.Settings["SignIn:SourcePermitLimit"] = "3";
        var client = strict.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            answers.Add((await client.PostAsJsonAsync(Url("/api/auth/login"), new { userName = $"someone{i}", password = "Whatever#2026" })).StatusCode);

        Assert.That(answers, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
        }));
    }

    [Test]
    public async Task No_user_may_hold_two_of_the_separated_duties()
    {
        var security = await _factory.SignedInAsync("security", Password);
        foreach (var roles in new[] { new[] { Roles.PlatformAdmin, Roles.Auditor }, [Roles.SecurityAdmin, Roles.Auditor], [Roles.PlatformAdmin, Roles.SecurityAdmin] })
        {
            var refused = await security.PutAsJsonAsync(Url("/api/security/users/auditor/roles"), new { roles });
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), string.Join("+", roles));
            Assert.That((await refused.JsonAsync())["errors"]!["roles"]![0]!.GetValue<string>(), Does.Contain("三员分立"));
        }

        var log = await LogAsync("user:auditor");
        Assert.That(log.Count(r => r.Kind == SecurityEventKinds.RolesChanged && r.Result == SecurityResults.Refused), Is.EqualTo(3), "each refusal is logged");
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        Assert.That(await db.UserRoles.Where(r => r.UserId == "auditor").Select(r => r.Role).ToListAsync(), Is.EqualTo(new[] { Roles.Auditor }), "nothing else changed");
    }
}
