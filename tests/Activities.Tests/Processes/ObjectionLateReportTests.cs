using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Interfaces.Statistics;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Processes;

/// <summary>
/// 000 三、3: an objection is reported within 1 working day of finding the problem. The day found is the applicant's, the
/// day reported is the day the platform recorded the submission; a late report is accepted, marked, shown to the
/// provider and counted for the bureau. Working days come from the calendar: 2026-02-28 is a Saturday worked for 春节.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class ObjectionLateReportTests(DatabaseProvider provider) : ProcessTestBase(provider)
{
    private const string ResourceCode = "34140005/0901";

    [OneTimeSetUp]
    public async Task PublishTheResourceAsync()
    {
        var catalog = Services.GetRequiredService<CatalogService>();
        var entry = FormExamples.CatalogEntry();
        entry["resourceCode"] = ResourceCode;
        entry["resourceName"] = "居民户籍信息";
        entry.Remove("mountedTableName");
        var created = Ok(await catalog.CreateAsync(TestOrganization.PublicSecurity, entry, "gaj.admin"));
        Ok(await catalog.SubmitAsync(created.EntryId, "gaj.admin"));
        Ok(await catalog.RegisterAsync(created.EntryId, "gaj.admin"));
        Ok(await catalog.PublishAsync(created.EntryId, "gaj.admin"));
    }

    /// <summary>The report as the applicant sends it: the resource's name and provider and the reporting unit are the platform's.</summary>
    private static JsonObject Report(string discoveredOn)
    {
        var report = FormExamples.ObjectionReport();
        foreach (var key in new[] { "resourceName", "providerDepartment", "reporterDepartment", "reporterDepartmentCode", "reportedOn" }) report.Remove(key);
        report["resourceCode"] = ResourceCode;
        report["discoveredOn"] = discoveredOn;
        return report;
    }

    private async Task<JsonObject> FormOfAsync(Guid instance) => (await Queries.GetInstanceAsync(instance))!.Variables["form"]!.AsObject();

    [Test]
    public async Task A_report_after_the_working_day_that_follows_the_discovery_is_accepted_marked_late_and_shown_to_the_provider()
    {
        // Found Fri 02-27; the next working day is Sat 02-28 (worked for 春节): reported Mon 03-02 is one working day late.
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("objection", "yx.applicant", Report("2026-02-27"));

        var form = await FormOfAsync(instance);
        Assert.That((form["reportedOn"]!.GetValue<string>(), form["reportDeadline"]!.GetValue<string>(), form["lateReport"]!.GetValue<bool>()),
            Is.EqualTo(("2026-03-02", "2026-02-28", true)));
        var timing = (await Queries.GetInstanceAsync(instance))!.Variables["reportTiming"]!;
        Assert.That((timing["late"]!.GetValue<bool>(), timing["workingDaysLate"]!.GetValue<int>()), Is.EqualTo((true, 1)));
        var reply = await StepAsync(instance, "reply");
        Assert.That(reply.OrgUnitId, Is.EqualTo(TestOrganization.PublicSecurity), "the provider from the catalog entry");
        Assert.That(reply.Title, Does.Contain("逾期反馈").And.Contain("2026-02-28"));
        Assert.That((await Tasks.SaveFormAsync(reply.Id, "gaj.approver1", new JsonObject { ["lateReport"] = false })).Error!.Errors.Select(e => (e.Input, e.Code)),
            Is.EqualTo(new[] { ("lateReport", (string?)"platformField") }), "the provider cannot clear the mark either");
    }

    [Test]
    public async Task A_report_on_a_worked_saturday_after_a_friday_discovery_is_on_time()
    {
        Clock.Set(new DateTimeOffset(2026, 2, 28, 16, 0, 0, Beijing));
        var instance = await ApplyAsync("objection", "yx.applicant", Report("2026-02-27"));

        var form = await FormOfAsync(instance);
        Assert.That((form["reportedOn"]!.GetValue<string>(), form["lateReport"]!.GetValue<bool>()), Is.EqualTo(("2026-02-28", false)));
        Assert.That((await StepAsync(instance, "reply")).Title, Does.Not.Contain("逾期"));
    }

    [Test]
    public async Task The_report_date_is_the_platforms_and_a_claimed_one_is_refused_without_writing_anything()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 4, 9, 0, 0, Beijing));
        var run = await Runtime.StartAsync(new StartWorkflowRequest("objection") { Initiator = "yx.applicant" });
        var report = (await OpenAsync(run.Value.InstanceId)).Single();
        var claimed = Report("2026-03-02");
        claimed["reportedOn"] = "2026-03-03";
        var journal = (await JournalAsync(run.Value.InstanceId)).Count;

        var refused = await Tasks.ApproveAsync(report.Id, "yx.applicant", null, claimed);

        Assert.That(refused.Error!.Errors.Select(e => (e.Input, e.Code)), Is.EqualTo(new[] { ("reportedOn", (string?)"platformField") }));
        Assert.That((await Queries.GetInstanceAsync(run.Value.InstanceId))!.Variables["form"], Is.Null);
        Assert.That((await JournalAsync(run.Value.InstanceId)).Count, Is.EqualTo(journal));

        var future = Report("2026-03-05");
        Assert.That((await Tasks.ApproveAsync(report.Id, "yx.applicant", null, future)).Error!.Errors.Select(e => (e.Input, e.Code)),
            Is.EqualTo(new[] { ("discoveredOn", (string?)"compare") }), "a problem found after the report is refused");
    }

    [Test]
    public async Task A_return_for_correction_keeps_the_day_first_reported()
    {
        Clock.Set(new DateTimeOffset(2026, 3, 2, 10, 0, 0, Beijing));
        var instance = await ApplyAsync("objection", "yx.applicant", Report("2026-03-02"));
        Clock.Set(new DateTimeOffset(2026, 3, 5, 10, 0, 0, Beijing));
        Ok(await Tasks.ReturnAsync((await StepAsync(instance, "reply")).Id, "gaj.approver1", "report", "请补充问题数据示例的记录标识"));

        var correction = await StepAsync(instance, "report");
        Ok(await Tasks.ApproveAsync(correction.Id, "yx.applicant", "已补充", await AsSentAsync(correction.Id, "yx.applicant", Report("2026-03-02"))));

        var form = await FormOfAsync(instance);
        Assert.That((form["reportedOn"]!.GetValue<string>(), form["lateReport"]!.GetValue<bool>()), Is.EqualTo(("2026-03-02", false)));
    }

    [Test]
    public async Task The_bureaus_statistics_count_the_objections_of_a_period_and_those_reported_late()
    {
        Clock.Set(new DateTimeOffset(2026, 4, 14, 10, 0, 0, Beijing));
        var late = await ApplyAsync("objection", "yx.applicant", Report("2026-04-09"));
        var onTime = await ApplyAsync("objection", "yx.applicant", Report("2026-04-13"));
        Clock.Set(new DateTimeOffset(2026, 4, 16, 10, 0, 0, Beijing));
        var later = await ApplyAsync("objection", "yx.applicant", Report("2026-04-16"));

        var report = await Services.GetRequiredService<ObjectionStatistics>().ReportAsync(new StatisticsPeriod(new DateOnly(2026, 4, 14), new DateOnly(2026, 4, 14)));

        Assert.That(report.Cases.Select(c => (c.InstanceId, c.Late)), Is.EquivalentTo(new[] { (late, true), (onTime, false) }));
        Assert.That((report.Reported, report.Late), Is.EqualTo((2, 1)));
        Assert.That(report.ByProvider.Single(), Is.EqualTo(new ObjectionProviderRow(TestOrganization.PublicSecurity, "市公安局", 2, 1)));
        Assert.That(report.Cases.Single(c => c.Late).ReporterName, Is.EqualTo("叶县卫生健康委员会"));
        Assert.That(report.Cases.Select(c => c.InstanceId), Does.Not.Contain(later));
        var (headers, rows) = ObjectionStatistics.Table(report);
        Assert.That(headers, Does.Contain("是否逾期反馈"));
        Assert.That(rows.Count(r => (string?)r[7] == "是"), Is.EqualTo(1));
    }
}
