using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Activities.BuiltIn;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Tests.Tasks;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Deadlines;

/// <summary>Loading a notice for a provisional year moves the pending deadlines that depended on it, and journals each move.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class DeadlineRecomputeTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // A test-only 2027 notice: Spring Festival off 02-05..02-12, makeup Saturday 02-20.
    private const string Notice2027 = """
        {
          "year": 2027, "noticeNumber": "国办发明电〔2026〕99号（测试）", "publishedOn": "2026-11-20",
          "source": "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
          "periods": [ { "name": "春节", "firstDayOff": "2027-02-05", "lastDayOff": "2027-02-12", "makeupWorkdays": ["2027-02-20"] } ]
        }
        """;

    private HolidayNoticeService Notices => Services.GetRequiredService<HolidayNoticeService>();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddDeadlineRecomputation(runInBackground: false);
    }

    [Test]
    public async Task A_2027_notice_moves_a_pending_step_deadline_and_a_working_day_wait_and_journals_both()
    {
        var review = UniqueId("review");
        var wait = UniqueId("wait");
        await PublishAsync(new DefinitionBuilder(review).Add("start", "Start")
            .UserTask("review", Users("gaj.approver1"), sla: new JsonObject { ["workingDays"] = 5 }).Add("end", "End")
            .Chain("start", "review").Connect("review:Approve", "end").Build());
        await PublishAsync(new DefinitionBuilder(wait).Add("start", "Start")
            .Add("wait", DelayWorkingDays.TypeName, ("workingDays", DefinitionBuilder.Literal(5))).Add("end", "End")
            .Chain("start", "wait", "end").Build());

        // Received Mon 2027-02-01. By the statute 02-05..02-08 are off and Article 6 gives back the weekend days 02-06 and
        // 02-07 on 02-09 and 02-10: days 02-02, 03, 04, 11, 12 → due Fri 02-12.
        Clock.Set(new DateTimeOffset(2027, 2, 1, 10, 0, 0, Beijing));
        var reviewRun = await StartAsAsync(review, "rsj.applicant");
        var waitRun = await StartAsAsync(wait, "rsj.applicant");
        var task = await OpenTaskAsync(reviewRun.InstanceId, "review");
        Assert.That(task.DueAt, Is.EqualTo(new DateTimeOffset(2027, 2, 12, 23, 59, 59, Beijing)));
        Assert.That(Bookmark(waitRun, "wait").DueAt, Is.EqualTo(new DateTimeOffset(2027, 2, 13, 0, 0, 0, Beijing)));
        Assert.That((await JournalAsync(waitRun.InstanceId)).Any(j => j.Message?.Contains("尚未公布的 2027 年") == true), Is.True);

        // With the notice 02-05..02-12 are off: days 02-02, 03, 04, 15, 16 → due Tue 02-16.
        var uploaded = await Notices.UploadAsync(Notice2027, "admin1");

        Assert.That(uploaded.Succeeded, Is.True, string.Join("; ", uploaded.Errors.Select(e => e.Message)));
        Assert.That(uploaded.ReplacedProvisional, Is.True);
        Assert.That(uploaded.Recomputed.Select(c => (c.InstanceId, c.After)), Is.EquivalentTo(new[]
        {
            (reviewRun.InstanceId, new DateTimeOffset(2027, 2, 16, 23, 59, 59, Beijing)),
            (waitRun.InstanceId, new DateTimeOffset(2027, 2, 16, 23, 59, 59, Beijing)),
        }));
        Assert.That((await Inbox.GetAsync(task.Id))!.DueAt, Is.EqualTo(new DateTimeOffset(2027, 2, 16, 23, 59, 59, Beijing)));
        var breach = (await Queries.GetOpenBookmarksAsync(reviewRun.InstanceId)).Single(b => b.Name == UserTask.BreachBookmark);
        Assert.That(breach.DueAt, Is.EqualTo(new DateTimeOffset(2027, 2, 17, 0, 0, 0, Beijing)));
        Assert.That((await Queries.GetOpenBookmarksAsync(waitRun.InstanceId)).Single().DueAt, Is.EqualTo(new DateTimeOffset(2027, 2, 17, 0, 0, 0, Beijing)));
        foreach (var instance in new[] { reviewRun.InstanceId, waitRun.InstanceId })
        {
            var note = (await JournalAsync(instance)).Last(j => j.EventName == JournalEvents.Note);
            Assert.That(note.Message, Does.Contain("重新计算为 2027-02-16 23:59"));
            Assert.That((await Verifier.VerifyAsync(instance))!.IsIntact, Is.True);
        }

        Assert.That(await Services.GetRequiredService<DeadlineRecalculator>().RecomputeStaleAsync(), Is.Empty, "nothing is stale any more");
    }

    [Test]
    public async Task An_invalid_notice_is_refused_with_reasons_and_changes_nothing()
    {
        var result = await Notices.UploadAsync("""{ "year": 2028, "noticeNumber": "x", "publishedOn": "2027-11-01", "source": "y", "periods": [ { "name": "春节", "firstDayOff": "2028-01-30", "lastDayOff": "2028-01-26", "makeupWorkdays": ["2028-01-24"] } ] }""", "admin1");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Is.Not.Empty);
        Assert.That(Services.GetRequiredService<PdsWorkflow.Workflows.Calendar.WorkingDayCalendar>().IsProvisional(2028), Is.True);
        Assert.That(await Notices.SyncAsync(), Is.Zero, "nothing was stored");
    }
}
