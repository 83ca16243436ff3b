using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// Every event the issue lists leaves a row in <c>wf_security_log</c> with actor, time, source address, object and result;
/// the auditor (and only the auditor) searches and exports it; nothing in the product changes or deletes a row.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SecurityLogTests(DatabaseProvider provider)
{
    private const string Password = "Pds2026demo";
    private HostFactory _factory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = await HostFactory.StartAsync(provider);
        await TestAccounts.SeedAsync(_factory, Password,
            ("admin", "bureau", Roles.PlatformAdmin), ("security", "bureau", Roles.SecurityAdmin), ("auditor", "bureau", Roles.Auditor),
            ("designer", "bureau", Roles.WorkflowAdmin), ("clerk", "gaj", Roles.DataContact), ("unlucky", "gaj", Roles.DataContact));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _factory.DisposeAsync();

    private static Uri Url(string path) => new(path, UriKind.Relative);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status) =>
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {await response.Content.ReadAsStringAsync()}");

    [Test]
    public async Task Every_listed_event_leaves_a_row_with_actor_time_source_object_and_result_that_the_auditor_finds()
    {
        var admin = await _factory.SignedInAsync("admin", Password);
        var security = await _factory.SignedInAsync("security", Password);
        var designer = await _factory.SignedInAsync("designer", Password);
        var auditor = await _factory.SignedInAsync("auditor", Password);
        var clerk = await _factory.SignedInAsync("clerk", Password);
        var anonymous = _factory.CreateClient();

        await anonymous.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "nobody", password = "Wrong#2026abc" });
        for (var i = 0; i < 5; i++) await anonymous.PostAsJsonAsync(Url("/api/auth/login"), new { userName = "unlucky", password = "Wrong#2026abc" });
        await ExpectAsync(await security.PostAsync(Url("/api/security/users/unlucky/unlock"), null), HttpStatusCode.OK);
        await ExpectAsync(await clerk.PostAsJsonAsync(Url("/api/auth/password"), new { currentPassword = Password, newPassword = "Desk#Changed2026x" }), HttpStatusCode.NoContent);
        await ExpectAsync(await admin.PostAsJsonAsync(Url("/api/admin/units"), new { id = "gaj-lab", name = "市公安局实验室", kind = "SecondaryUnit", parentId = "gaj", regionCode = "410400" }),
            HttpStatusCode.Created);
        await ExpectAsync(await admin.PutAsJsonAsync(Url("/api/admin/units/gaj-lab"), new { name = "市公安局鉴定实验室", parentId = "gaj", regionCode = "410400" }), HttpStatusCode.OK);
        await ExpectAsync(await admin.PostAsJsonAsync(Url("/api/admin/users"), new { id = "gaj-lab.newbie", displayName = "新同事", orgUnitId = "gaj-lab", password = "Welcome#Aboard27" }),
            HttpStatusCode.Created);
        await ExpectAsync(await admin.PutAsJsonAsync(Url("/api/admin/users/gaj-lab.newbie"), new { displayName = "新同事", orgUnitId = "gaj-lab", title = "技术员" }), HttpStatusCode.OK);
        await ExpectAsync(await security.PutAsJsonAsync(Url("/api/security/users/gaj-lab.newbie/roles"), new { roles = new[] { Roles.DataContact } }), HttpStatusCode.OK);
        await ExpectAsync(await admin.PostAsJsonAsync(Url("/api/admin/users/gaj-lab.newbie/password"), new { password = "Second#Try2026x" }), HttpStatusCode.NoContent);
        await ExpectAsync(await admin.PostAsync(Url("/api/admin/users/gaj-lab.newbie/disable"), null), HttpStatusCode.OK);
        await ExpectAsync(await admin.PostAsync(Url("/api/admin/users/gaj-lab.newbie/enable"), null), HttpStatusCode.OK);
        await ExpectAsync(await security.PostAsync(Url("/api/security/users/designer/reset-second-factor"), null), HttpStatusCode.OK);
        designer = await _factory.SignedInAsync("designer", Password);

        var issued = (await _factory.Services.GetRequiredService<InterfaceService>().CreateApplicationAsync("gaj", "户籍核验系统", "admin")).Value;
        await ExpectAsync(await admin.PostAsync(Url($"/api/interfaces/applications/{issued.Id}/rotate-secret"), null), HttpStatusCode.OK);
        const string definition = """
            { "definitionId": "log-test", "name": "日志测试", "root": { "type": "Flowchart",
              "activities": [ { "id": "start", "type": "Start" }, { "id": "end", "type": "End" } ],
              "connections": [ { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "end", "port": "In" } } ] } }
            """;
        await ExpectAsync(await designer.PostAsync(Url("/api/designer/definitions/import"), Json(definition)), HttpStatusCode.OK);
        await ExpectAsync(await designer.PostAsync(Url("/api/designer/definitions/log-test/publish"), null), HttpStatusCode.OK);
        await ExpectAsync(await designer.PostAsync(Url("/api/designer/definitions/log-test/retract"), null), HttpStatusCode.OK);
        await designer.PostAsync(Url("/api/designer/migrations"), Json("""{ "definitionId": "no-such", "targetVersion": 2, "instanceIds": [] }"""));
        await ExpectAsync(await admin.PostAsync(Url("/api/calendar/notices"), Json("""
            { "year": 2028, "noticeNumber": "国办发明电〔2027〕1号（测试）", "publishedOn": "2027-11-20", "source": "测试数据",
              "periods": [ { "name": "元旦", "firstDayOff": "2028-01-01", "lastDayOff": "2028-01-03", "makeupWorkdays": [] } ] }
            """)), HttpStatusCode.OK);
        var dead = Guid.NewGuid();
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            var at = new DateTime(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
            db.Outbox.Add(new OutboxRecord { Id = dead, Type = "test.nobody-delivers", Key = $"dead:{dead:N}", PayloadJson = "{}", CreatedAt = at, NextAttemptAt = at, Attempts = 10, DeadAt = at });
            await db.SaveChangesAsync();
        }

        await ExpectAsync(await admin.PostAsync(Url($"/api/outbox/{dead}/retry"), null), HttpStatusCode.OK);
        await ExpectAsync(await auditor.GetAsync(Url("/api/statistics/overdue?format=csv")), HttpStatusCode.OK);
        await _factory.Services.GetRequiredService<AuditArchiver>().ArchiveAsync("cli:operator", CancellationToken.None);
        await ExpectAsync(await clerk.PostAsync(Url("/api/admin/units"), Json("{}")), HttpStatusCode.Forbidden);
        var stale = clerk;
        await ExpectAsync(await _factory.SignedInAsync("clerk", "Desk#Changed2026x") is var fresh ? await fresh.PostAsync(Url("/api/auth/logout"), null) : null!,
            HttpStatusCode.NoContent);
        await ExpectAsync(await stale.GetAsync(Url("/api/me")), HttpStatusCode.Unauthorized);
        await ExpectAsync(await auditor.GetAsync(Url("/api/security-log/export?format=csv")), HttpStatusCode.OK);

        var expected = new (string Kind, string Result, string Actor, string Object)[]
        {
            (SecurityEventKinds.SignIn, SecurityResults.Success, "admin", "user:admin"),
            (SecurityEventKinds.SignIn, SecurityResults.Failure, "nobody", "user:nobody"),
            (SecurityEventKinds.Lockout, SecurityResults.Success, "system:sign-in", "user:unlucky"),
            (SecurityEventKinds.Unlock, SecurityResults.Success, "security", "user:unlucky"),
            (SecurityEventKinds.PasswordChanged, SecurityResults.Success, "clerk", "user:clerk"),
            (SecurityEventKinds.UnitCreated, SecurityResults.Success, "admin", "unit:gaj-lab"),
            (SecurityEventKinds.UnitUpdated, SecurityResults.Success, "admin", "unit:gaj-lab"),
            (SecurityEventKinds.UserCreated, SecurityResults.Success, "admin", "user:gaj-lab.newbie"),
            (SecurityEventKinds.UserUpdated, SecurityResults.Success, "admin", "user:gaj-lab.newbie"),
            (SecurityEventKinds.RolesChanged, SecurityResults.Success, "security", "user:gaj-lab.newbie"),
            (SecurityEventKinds.PasswordReset, SecurityResults.Success, "admin", "user:gaj-lab.newbie"),
            (SecurityEventKinds.UserDisabled, SecurityResults.Success, "admin", "user:gaj-lab.newbie"),
            (SecurityEventKinds.UserEnabled, SecurityResults.Success, "admin", "user:gaj-lab.newbie"),
            (SecurityEventKinds.SecondFactorEnrolled, SecurityResults.Success, "designer", "user:designer"),
            (SecurityEventKinds.SecondFactorReset, SecurityResults.Success, "security", "user:designer"),
            (SecurityEventKinds.SecretRotated, SecurityResults.Success, "admin", $"application:{issued.Id}"),
            (SecurityEventKinds.DefinitionPublished, SecurityResults.Success, "designer", "definition:log-test"),
            (SecurityEventKinds.DefinitionRetracted, SecurityResults.Success, "designer", "definition:log-test"),
            (SecurityEventKinds.InstancesMigrated, SecurityResults.Refused, "designer", "definition:no-such"),
            (SecurityEventKinds.CalendarNoticeUploaded, SecurityResults.Success, "admin", "calendar:2028"),
            (SecurityEventKinds.OutboxRetried, SecurityResults.Success, "admin", $"outbox:{dead}"),
            (SecurityEventKinds.Export, SecurityResults.Success, "auditor", "export:statistics"),
            (SecurityEventKinds.ArchiveRun, SecurityResults.Success, "cli:operator", "archive"),
            (SecurityEventKinds.AccessDenied, SecurityResults.Refused, "clerk", "POST /api/admin/units"),
            (SecurityEventKinds.SignOut, SecurityResults.Success, "clerk", "user:clerk"),
            (SecurityEventKinds.SessionRevoked, SecurityResults.Refused, "clerk", "user:clerk"),
            (SecurityEventKinds.Export, SecurityResults.Success, "auditor", "export:security-log"),
        };
        foreach (var (kind, result, actor, target) in expected)
        {
            var page = await auditor.GetFromJsonAsync<JsonObject>(Url($"/api/security-log?kind={kind}&result={result}&actor={Uri.EscapeDataString(actor)}&object={Uri.EscapeDataString(target)}"));
            var rows = page!["items"]!.AsArray();
            Assert.That(rows, Is.Not.Empty, $"{kind} {result} by {actor} on {target}");
            var row = rows[0]!;
            Assert.That(row["at"]!.GetValue<DateTimeOffset>(), Is.GreaterThan(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            if (!actor.StartsWith("cli:", StringComparison.Ordinal)) Assert.That(row["sourceAddress"], Is.Not.Null, $"{kind}: the source address");
            Assert.That(row["kindName"]!.GetValue<string>(), Is.EqualTo(SecurityEventKinds.DisplayNames[kind]));
        }

        var csv = await auditor.GetAsync(Url($"/api/security-log/export?format=csv&kind={SecurityEventKinds.Lockout}"));
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.That(text, Does.Contain("序号,时间,事件,结果,操作人,来源地址,对象,说明").And.Contain("账号锁定").And.Contain("user:unlucky"));
    }

    [Test]
    public async Task Only_the_auditor_reads_the_log_and_nothing_in_the_product_changes_or_deletes_a_row()
    {
        var admin = await _factory.SignedInAsync("admin", Password);
        var security = await _factory.SignedInAsync("security", Password);
        Assert.That((await admin.GetAsync(Url("/api/security-log"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await security.GetAsync(Url("/api/security-log"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var routes = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/security-log", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Distinct();
        Assert.That(routes, Is.EqualTo(new[] { "GET" }), "no endpoint writes to the log");

        var log = _factory.Services.GetRequiredService<SecurityLog>();
        var written = await log.WriteAsync(new SecurityEvent(SecurityEventKinds.Export, SecurityResults.Success, "tester", "127.0.0.1", "export:test"), CancellationToken.None);
        var later = await log.WriteAsync(new SecurityEvent(SecurityEventKinds.Export, SecurityResults.Success, "tester", "127.0.0.1", "export:test"), CancellationToken.None);
        Assert.That(later.Sequence, Is.GreaterThan(written.Sequence), "an explicit, increasing order");
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        var row = await db.SecurityLog.SingleAsync(r => r.Sequence == written.Sequence);
        row.Detail = "forged";
        Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.SecurityLog.Remove(await db.SecurityLog.SingleAsync(r => r.Sequence == written.Sequence));
        Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Test]
    public async Task Archiving_past_the_retention_period_keeps_the_security_log()
    {
        await using (var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None))
        {
            db.SecurityLog.Add(new SecurityEventRecord
            {
                At = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), Kind = SecurityEventKinds.SignIn, Result = SecurityResults.Success, Actor = "old", Object = "user:old",
            });
            await db.SaveChangesAsync();
        }

        await _factory.Services.GetRequiredService<AuditArchiver>().ArchiveAsync(CancellationToken.None);

        await using var check = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);
        Assert.That(await check.SecurityLog.CountAsync(r => r.Actor == "old"), Is.EqualTo(1));
        Assert.That(await check.SecurityLog.CountAsync(r => r.Kind == SecurityEventKinds.ArchiveRun && r.Actor == AuditArchiver.JobActor), Is.GreaterThanOrEqualTo(1));
    }
}
