using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Interfaces;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Workflows.Exports;

namespace PdsWorkflow.Activities.Tests.Interfaces;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SweepTests(DatabaseProvider provider) : InterfacesTestBase(provider)
{
    [Test]
    public async Task The_daily_sweep_reminds_once_expires_past_terms_and_asks_the_provider_about_unused_authorisations_once()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        await MountedInterfaceAsync(name: "巡检接口");
        var ending = (await GrantAsync(Form("巡检接口", system: "将到期系统", days: 30))).Authorization;
        var ended = (await GrantAsync(Form("巡检接口", system: "已到期系统", days: 10))).Authorization;
        var idle = (await GrantAsync(Form("巡检接口", system: "闲置系统"))).Authorization;
        var seasonalForm = Form("巡检接口", system: "季节性系统");
        seasonalForm["seasonalWindows"] = JsonNode.Parse("""[{ "start": "2026-10-01", "end": "2026-12-31" }]""");
        var seasonal = (await GrantAsync(seasonalForm)).Authorization;
        var sweep = Services.GetRequiredService<InterfaceSweep>();

        // Mon 03-30: "ending" ends Wed 04-08, six working days away (清明 04-04..06 off); "ended" ended 03-19.
        Clock.Set(new DateTimeOffset(2026, 3, 30, 1, 30, 0, Beijing));
        var first = await sweep.RunAsync();
        Assert.That(first.Reminded, Is.EquivalentTo(new[] { ending.Id }));
        Assert.That(first.Expired, Is.EquivalentTo(new[] { ended.Id }));
        Assert.That(first.RevokeRequested, Is.Empty);
        Assert.That((await Interfaces.GetAuthorizationAsync(ended.Id))!.Status, Is.EqualTo(ApiAuthorizationStatus.Expired));
        var second = await sweep.RunAsync();
        Assert.That((second.Reminded, second.Expired), Is.EqualTo((Array.Empty<Guid>(), Array.Empty<Guid>())).Using<(IReadOnlyList<Guid>, IReadOnlyList<Guid>)>((a, b) => a.Item1.Count == b.Item1.Count && a.Item2.Count == b.Item2.Count));
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var reminders = await db.Outbox.Where(m => m.Type == InterfaceSweep.ReminderType).ToListAsync();
            Assert.That(reminders, Has.Count.EqualTo(1));
            Assert.That(reminders[0].PayloadJson, Does.Contain("2026-04-08").And.Contain(Consumer));
        }

        // Three months after 03-10 without a call: the provider decides; seasonal use is left alone (001 第十九条).
        Clock.Set(new DateTimeOffset(2026, 6, 11, 1, 30, 0, Beijing));
        var later = await sweep.RunAsync();
        Assert.That(later.RevokeRequested, Is.EquivalentTo(new[] { idle.Id }));
        Assert.That(later.Expired, Does.Contain(ending.Id));
        var asked = (await Interfaces.GetAuthorizationAsync(idle.Id))!;
        Assert.That(asked.RevokeInstanceId, Is.Not.Null);
        Assert.That((await Interfaces.GetAuthorizationAsync(seasonal.Id))!.RevokeRequestedAt, Is.Null);
        Assert.That((await sweep.RunAsync()).RevokeRequested, Is.Empty, "one revoke case per authorisation");

        var task = (await Inbox.TasksOfInstanceAsync(asked.RevokeInstanceId!.Value)).Single(t => t.Status == TaskStatuses.Open);
        string holder;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            holder = task.AssigneeId ?? await db.TaskCandidates.Where(c => c.TaskId == task.Id).Select(c => c.UserId).OrderBy(u => u).FirstAsync();
        }

        Assert.That((await Tasks.ApproveAsync(task.Id, holder, "超过三个月未使用，收回")).IsSuccess, Is.True);
        Assert.That((await Interfaces.GetAuthorizationAsync(idle.Id))!.Status, Is.EqualTo(ApiAuthorizationStatus.Revoked));
        Assert.That((await Queries.GetInstanceAsync(asked.RevokeInstanceId.Value))!.Result?.GetValue<string>(), Is.EqualTo("revoked"));
    }
}

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class GatewayAccessAndStatisticsTests(DatabaseProvider provider) : InterfacesTestBase(provider)
{
    private static readonly IPAddress Allowed = IPAddress.Parse("59.207.101.21");

    [Test]
    public async Task Concurrent_calls_never_pass_the_daily_peak_together()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Beijing));
        var mount = await MountedInterfaceAsync(name: "峰值接口");
        var (instance, _, appKey) = await GrantAsync(Form("峰值接口", system: "峰值系统", start: "2026-03-09", peak: 5));
        Clock.Set(new DateTimeOffset(2026, 3, 10, 9, 0, 0, Beijing));
        var access = Services.GetRequiredService<GatewayAccess>();
        var request = new GatewayRequest(mount.Id.ToString("N"), appKey, IssuedSecret(instance), Allowed);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => access.DecideAsync(request, CancellationToken.None))));

        Assert.That(decisions.Count(d => d.Allowed), Is.EqualTo(5));
        Assert.That(decisions.Where(d => !d.Allowed).Select(d => (d.Status, d.Refusal)).Distinct(),
            Is.EqualTo(new[] { (429, (string?)GatewayRefusals.DailyPeakExceeded) }));
        Clock.Set(new DateTimeOffset(2026, 3, 11, 9, 0, 0, Beijing));
        Assert.That((await access.DecideAsync(request, CancellationToken.None)).Allowed, Is.True, "a new day, a new allowance");
    }

    [Test]
    public async Task The_report_counts_authorisations_and_calls_per_department_and_lists_overdue_authorisations_exportable_as_csv_and_xlsx()
    {
        Clock.Set(new DateTimeOffset(2026, 4, 1, 10, 0, 0, Beijing));
        await MountedInterfaceAsync(name: "统计接口");
        var (_, granted, appKey) = await GrantAsync(Form("统计接口", system: "统计系统", start: "2026-04-01", days: 5));
        foreach (var (status, refusal, bytes) in new[] { (200, (string?)null, 1000L), (200, null, 500L), (403, GatewayRefusals.IpNotAllowed, 120L) })
        {
            await Interfaces.RecordCallAsync(new ApiCall
            {
                Id = Guid.NewGuid(), At = Clock.GetUtcNow().UtcDateTime, InterfaceCode = granted.MountId.ToString("N"), MountId = granted.MountId,
                ProviderOrgUnitId = Mzj, ConsumerOrgUnitId = Consumer, ApplicationId = granted.ApplicationId, AppKey = appKey, AuthorizationId = granted.Id,
                Method = "GET", Path = "/gateway/x", Status = status, BytesOut = bytes, Refusal = refusal,
            });
        }

        // A provider's approval step of an interface request, past its five working days.
        var pending = new DefinitionBuilder("interface-request")
            .Variable("providerOrgUnitId", Mzj)
            .Add("start", "Start")
            .UserTask("providerApproval", HumanSteps.Users("rsj.admin"), sla: new JsonObject { ["workingDays"] = 5 })
            .Add("end", "End")
            .Chain("start", "providerApproval")
            .Connect("providerApproval:Approve", "end")
            .Build();
        await PublishAsync(pending);
        await StartAsync("interface-request");

        Clock.Set(new DateTimeOffset(2026, 4, 20, 10, 0, 0, Beijing));
        var statistics = Services.GetRequiredService<ExchangeStatistics>();
        var report = await statistics.ReportAsync(new StatisticsPeriod(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 3)));
        var provider = report.Rows.Single(r => r.OrgUnitId == Mzj && r.Side == ExchangeSide.Provider);
        var consumer = report.Rows.Single(r => r.OrgUnitId == Consumer && r.Side == ExchangeSide.Consumer);
        int othersInForce;
        await using (var db = InterfacesDb.CreateContext())
        {
            // Another test of the fixture may have granted 市民政局's interfaces earlier, in force all through April.
            othersInForce = await db.Authorizations.CountAsync(a => a.Id != granted.Id && a.TermStart <= new DateOnly(2026, 4, 3) && a.TermEnd >= new DateOnly(2026, 4, 3));
        }

        Assert.That((provider.Kind, provider.Granted, provider.InForce, provider.Uses, provider.Refused, provider.Bytes),
            Is.EqualTo((ExchangeKind.Interface, 1, 1 + othersInForce, 2L, 1L, 1500L)));
        Assert.That((consumer.OrgUnitName, consumer.Uses, consumer.Refused), Is.EqualTo(("市人力资源和社会保障局", 2L, 1L)));

        var overdue = await statistics.OverdueAsync();
        Assert.That(overdue.Select(o => o.Kind), Is.EquivalentTo(new[] { OverdueKind.AuthorizationPending, OverdueKind.TermEndedStillActive }));
        var ended = overdue.Single(o => o.Kind == OverdueKind.TermEndedStillActive);
        Assert.That((ended.AuthorizationId, ended.ProviderOrgUnitId, ended.ConsumerName, ended.DaysOverdue), Is.EqualTo(((Guid?)granted.Id, (string?)Mzj, (string?)"市人力资源和社会保障局", 15)));

        var (headers, rows) = ExchangeStatistics.Table(report);
        var csv = TabularFile.Csv(headers, rows);
        Assert.That(csv.Take(3), Is.EqualTo(Encoding.UTF8.GetPreamble()));
        var lines = Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("部门,部门编号,角色,资源类型,期间新增授权,期末有效授权,使用次数,拒绝次数,记录数,文件数,数据量（字节）"));
        Assert.That(lines, Does.Contain($"市人力资源和社会保障局,rsj,使用方,服务接口,1,{1 + othersInForce},2,1,0,0,1500"));

        var sheet = Spreadsheets.ReadSheet(TabularFile.Xlsx("统计", headers, rows), "统计");
        Assert.That(sheet[0], Is.EqualTo(headers));
        Assert.That(sheet.Skip(1), Has.Some.EqualTo(new[] { "市人力资源和社会保障局", "rsj", "使用方", "服务接口", "1", (1 + othersInForce).ToString(System.Globalization.CultureInfo.InvariantCulture), "2", "1", "0", "0", "1500" }));
    }
}
