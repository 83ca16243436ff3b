using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Audit;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AuditQueryTests(DatabaseProvider provider) : AuditTestBase(provider)
{
    [Test]
    public async Task Search_filters_by_process_applicant_department_status_period_and_overdue()
    {
        var id = UniqueId("search");
        await PublishAsync(Review(id));
        var fromRsj = await StartAsAsync(id, "rsj.applicant");
        var decided = await OpenTaskAsync(fromRsj.InstanceId, "review");
        Ok(await Tasks.ApproveAsync(decided.Id, "gaj.approver1", "同意"));
        var fromCounty = await StartAsAsync(id, "yx.applicant");
        Clock.Advance(TimeSpan.FromDays(30));

        AuditPage Page(AuditSearch search) => Ok(Search.SearchAsync(search with { DefinitionId = id }).GetAwaiter().GetResult());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Page(new AuditSearch()).Total, Is.EqualTo(2));
            Assert.That(Page(new AuditSearch { Applicant = "yx.applicant" }).Items.Single().Id, Is.EqualTo(fromCounty.InstanceId));
            Assert.That(Page(new AuditSearch { Applicant = "yx.appl" }).Items.Single().Id, Is.EqualTo(fromCounty.InstanceId), "part of the applicant's name");
            Assert.That(Page(new AuditSearch { Department = TestOrganization.HumanResources }).Items.Single().Id, Is.EqualTo(fromRsj.InstanceId));
            // By the unit's name as users know it, whole or in part (issue #18: 人社局 found nothing, only the code did).
            Assert.That(Page(new AuditSearch { Department = "市人力资源和社会保障局" }).Items.Single().Id, Is.EqualTo(fromRsj.InstanceId));
            Assert.That(Page(new AuditSearch { Department = "人力资源" }).Items.Single().Id, Is.EqualTo(fromRsj.InstanceId));
            Assert.That(Page(new AuditSearch { Department = "叶县" }).Items.Single().Id, Is.EqualTo(fromCounty.InstanceId));
            Assert.That(Page(new AuditSearch { Department = "财政局" }).Total, Is.Zero);
            Assert.That(Page(new AuditSearch { Status = WorkflowStatus.Finished }).Items.Single().Id, Is.EqualTo(fromRsj.InstanceId));
            Assert.That(Page(new AuditSearch { Overdue = true }).Items.Single().Id, Is.EqualTo(fromCounty.InstanceId));
            Assert.That(Page(new AuditSearch { Overdue = false }).Items.Single().Id, Is.EqualTo(fromRsj.InstanceId));
            Assert.That(Page(new AuditSearch { From = Clock.GetUtcNow() }).Total, Is.Zero);
            Assert.That(Page(new AuditSearch { To = Clock.GetUtcNow() }).Total, Is.EqualTo(2));
            var first = Page(new AuditSearch { PageSize = 1 });
            var second = Page(new AuditSearch { PageSize = 1, Page = 2 });
            Assert.That((first.Total, first.Items.Count, second.Items.Count), Is.EqualTo((2, 1, 1)));
            Assert.That(first.Items[0].Id, Is.Not.EqualTo(second.Items[0].Id));
            Assert.That(Page(new AuditSearch { Applicant = "rsj.applicant" }).Items.Single().DepartmentName, Is.EqualTo("市人力资源和社会保障局"));
            Assert.That((await Search.SearchAsync(new AuditSearch { PageSize = 500 })).Error?.Code, Is.EqualTo("invalid_search"));
            Assert.That((await Search.SearchAsync(new AuditSearch { Status = "Lost" })).Error?.Code, Is.EqualTo("invalid_search"));
        }
    }

    [Test]
    public async Task Audit_record_has_who_what_when_comment_and_working_days_and_exports_as_csv()
    {
        // Monday 4 June 2029, 09:00 in Beijing, later than anything the other tests of this fixture move the clock to.
        Clock.Set(new DateTimeOffset(2029, 6, 4, 1, 0, 0, TimeSpan.Zero));
        var id = UniqueId("export");
        await PublishAsync(Review(id));
        var run = await StartAsAsync(id, "rsj.applicant");
        var task = await OpenTaskAsync(run.InstanceId, "review");
        Clock.Advance(TimeSpan.FromDays(2));
        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", "同意，请注意数据安全"));

        var record = (await Export.GetAsync(run.InstanceId))!;
        var decided = record.Entries.Single(e => e.Event == JournalEvents.ActivityCompleted && e.ActivityId == "review");
        var (headers, rows) = AuditRecordExport.Table(record);
        var csv = System.Text.Encoding.UTF8.GetString(PdsWorkflow.Workflows.Exports.TabularFile.Csv(headers, rows)).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Entries, Has.Count.EqualTo((await JournalAsync(run.InstanceId)).Count));
            Assert.That((decided.What, decided.Actor, decided.ActorName, decided.Outcome), Is.EqualTo(("环节完成", "gaj.approver1", "gaj.approver1", "Approve")));
            Assert.That(decided.Comment, Is.EqualTo("同意，请注意数据安全"));
            Assert.That((decided.LimitWorkingDays, decided.ActualWorkingDays, decided.Overdue), Is.EqualTo(((int?)5, (int?)2, (bool?)false)));
            Assert.That(decided.Timestamp.Offset, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(lines[0], Does.StartWith("序号,时间,事件"));
            Assert.That(lines, Has.Length.EqualTo(record.Entries.Count + 1));
            Assert.That(lines.Single(l => l.Contains("同意，请注意数据安全", StringComparison.Ordinal) && l.Contains(",环节完成,review,", StringComparison.Ordinal)), Does.EndWith(",5,2029-06-11 23:59:59,2,否"));
        }
    }

    [Test]
    public async Task Archiving_moves_only_ended_cases_older_than_the_retention_period_to_a_file()
    {
        var id = UniqueId("archive");
        await PublishAsync(Review(id));
        var old = await StartAsAsync(id, "rsj.applicant");
        Ok(await Tasks.RejectAsync((await OpenTaskAsync(old.InstanceId, "review")).Id, "gaj.approver1", "不同意"));
        var running = await StartAsAsync(id, "rsj.applicant");
        Clock.Advance(TimeSpan.FromDays(30 * 23));
        var nothingYet = await Archiver.ArchiveAsync();
        Clock.Advance(TimeSpan.FromDays(60));

        var result = await Archiver.ArchiveAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nothingYet.Instances, Is.Zero, "23 months is within the retention period");
            Assert.That(result.Instances, Is.GreaterThanOrEqualTo(1));
            Assert.That(await Queries.GetInstanceAsync(old.InstanceId), Is.Null);
            Assert.That(await JournalAsync(old.InstanceId), Is.Empty);
            Assert.That(await Queries.GetInstanceAsync(running.InstanceId), Is.Not.Null, "a running case is never archived");
            var archived = result.Files.SelectMany(File.ReadAllLines).Select(l => JsonNode.Parse(l)!).ToList();
            var line = archived.Single(l => l["instance"]?["id"]?.GetValue<string>() == old.InstanceId.ToString());
            Assert.That(line["journal"]!.AsArray(), Is.Not.Empty);
            Assert.That(line["tasks"]!.AsArray(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void Retention_shorter_than_24_months_is_refused_with_the_setting_named()
    {
        var result = new AuditRetentionOptionsValidator().Validate(null, new AuditRetentionOptions { RetentionMonths = 12 });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Audit:RetentionMonths").And.Contain("24"));
        Assert.That(new AuditRetentionOptionsValidator().Validate(null, new AuditRetentionOptions { RetentionMonths = 36 }).Succeeded, Is.True);
    }
}
