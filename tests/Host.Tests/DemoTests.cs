using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Activities.Demo;
using PdsWorkflow.Workflows.Organization;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>The default run's first start: the demo organisation is there and its users sign in with the README's password.</summary>
public sealed class DemoTests
{
    private HostFactory _factory = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new HostFactory(seedDemo: true);
        _ = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _factory.DisposeAsync();

    [Test]
    public async Task The_first_start_on_a_fresh_SQLite_database_seeds_the_demo_organisation()
    {
        await using var db = await _factory.Services.GetRequiredService<WorkflowStore>().CreateContextAsync(CancellationToken.None);

        Assert.That(await db.OrgUnits.SingleAsync(u => u.Kind == OrgUnitKinds.Bureau), Has.Property(nameof(OrgUnitRecord.Name)).EqualTo("平顶山市政务服务和大数据管理局"));
        Assert.That(await db.OrgUnits.CountAsync(u => u.Kind == OrgUnitKinds.CountyAuthority), Is.EqualTo(10));
        Assert.That(await db.UserRoles.Select(r => r.Role).Distinct().ToListAsync(), Is.EquivalentTo(Roles.DisplayNames.Keys));
        Assert.That(await _factory.Services.GetRequiredService<DemoSeeder>().IsFirstStartAsync(CancellationToken.None), Is.False);
    }

    [TestCase("bureau.admin", "bureau", Roles.PlatformAdmin)]
    [TestCase("gaj.approver", "gaj", Roles.ProviderApprover)]
    [TestCase("yx-sjj.admin", "yx-sjj", Roles.CountyDataAdmin)]
    [TestCase("yx-wjw.contact", "yx-wjw", Roles.DataContact)]
    public async Task A_demo_user_signs_in_with_the_documented_password(string userName, string unit, string role)
    {
        var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName, password = "Pds@2026demo" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var me = await client.GetFromJsonAsync<JsonObject>(new Uri("/api/auth/me", UriKind.Relative));
        Assert.That(me!["orgUnitId"]!.GetValue<string>(), Is.EqualTo(unit));
        Assert.That(me["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { role }));
        Assert.That(DemoSeeder.Password, Is.EqualTo("Pds@2026demo"), "the password the README documents");
    }
}
