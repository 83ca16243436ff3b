using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;
using static PdsWorkflow.Tests.Support.TestOrganization;

namespace PdsWorkflow.Workflows.Tests.Tasks;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class InboxTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private string _quick = null!;
    private string _slow = null!;
    private string _pool = null!;

    [OneTimeSetUp]
    public async Task PublishProcessesAsync()
    {
        _quick = UniqueId("quick");
        _slow = UniqueId("slow");
        _pool = UniqueId("pool");
        foreach (var (id, days) in new[] { (_quick, 1), (_slow, 10) })
            await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
                .UserTask("review", Users("rsj.approver"), sla: new JsonObject { ["workingDays"] = days })
                .Add("end", "End").Chain("start", "review").Connect("review:Approve", "end").Build());
        await PublishAsync(new DefinitionBuilder(_pool).Add("start", "Start").UserTask("review", Role(Roles.ProviderApprover, "provider"))
            .Add("end", "End").Chain("start", "review").Connect("review:Approve", "end").Build());
    }

    [Test]
    public async Task My_tasks_filter_by_level_process_and_due_window_and_sort_by_due_date()
    {
        Clock.Set(new DateTimeOffset(2026, 6, 1, 9, 0, 0, Beijing));
        var slow = await StartAsAsync(_slow, "gaj.staff");
        var quick = await StartAsAsync(_quick, "gaj.staff");
        var quickTask = await OpenTaskAsync(quick.InstanceId, "review");
        var slowTask = await OpenTaskAsync(slow.InstanceId, "review");

        var all = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { PageSize = 200 });
        var mine = all.Items.Where(t => t.Id == quickTask.Id || t.Id == slowTask.Id).Select(t => t.Id);
        Assert.That(mine, Is.EqualTo(new[] { quickTask.Id, slowTask.Id }), "earliest due first");

        // Due Tue 06-02: yellow at once (1 working day, received Monday), red from Wednesday.
        var yellow = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { Level = WarningLevel.Yellow, PageSize = 200 });
        Assert.That(yellow.Items.Select(t => t.Id), Does.Contain(quickTask.Id).And.Not.Contain(slowTask.Id));
        var byProcess = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { DefinitionId = _slow });
        Assert.That(byProcess.Items.Select(t => t.Id), Is.EqualTo(new[] { slowTask.Id }));
        var dueSoon = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { DueWithinWorkingDays = 3, PageSize = 200 });
        Assert.That(dueSoon.Items.Select(t => t.Id), Does.Contain(quickTask.Id).And.Not.Contain(slowTask.Id));

        Clock.Set(new DateTimeOffset(2026, 6, 3, 9, 0, 0, Beijing));
        var red = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { Level = WarningLevel.Red, PageSize = 200 });
        Assert.That(red.Items.Select(t => t.Id), Does.Contain(quickTask.Id).And.Not.Contain(slowTask.Id));
        var counts = await Inbox.CountsAsync("rsj.approver");
        Assert.That(counts.Red, Is.EqualTo(red.Total));
        Assert.That(counts.Mine, Is.EqualTo(all.Total));
    }

    [Test]
    public async Task Paging_returns_pages_of_the_requested_size_with_the_total()
    {
        for (var i = 0; i < 5; i++) await StartAsAsync(_slow, "yx.applicant");
        var total = (await Inbox.MyTasksAsync("rsj.approver", new InboxQuery())).Total;

        var first = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { Page = 1, PageSize = 2 });
        var second = await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { Page = 2, PageSize = 2 });

        Assert.That((first.Items.Count, second.Items.Count, first.Total), Is.EqualTo((2, 2, total)));
        Assert.That(first.Items.Select(t => t.Id).Intersect(second.Items.Select(t => t.Id)), Is.Empty);
    }

    [Test]
    public async Task The_todo_pages_through_hundreds_of_assigned_and_claimable_tasks_with_the_right_total()
    {
        // Issue #16: the list once merged two queries capped at 200 each, so pages past 400 came back empty.
        const string user = "deep.approver";
        var now = Clock.GetUtcNow().UtcDateTime;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var definition = new DefinitionRecord { Id = Guid.NewGuid(), DefinitionId = UniqueId("deep"), Version = 1, Name = "深翻页", Json = "{}", ContentHash = "", CreatedAt = now };
            var instance = new InstanceRecord
            {
                Id = Guid.NewGuid(), DefinitionId = definition.DefinitionId, DefinitionVersionId = definition.Id, DefinitionVersion = 1,
                Status = WorkflowStatus.Suspended, Initiator = "yx.applicant", StateJson = "{}", CreatedAt = now, UpdatedAt = now,
            };
            db.Definitions.Add(definition);
            db.Instances.Add(instance);
            for (var i = 0; i < 460; i++)
            {
                var pooled = i % 2 == 1 && i < 400;
                var task = new TaskRecord
                {
                    Id = Guid.NewGuid(), InstanceId = instance.Id, BookmarkId = Guid.NewGuid(), ActivityId = $"step{i}", ActivityExecutionId = Guid.NewGuid(),
                    DefinitionId = definition.DefinitionId, Title = $"第{i}项", Status = TaskStatuses.Open, SignerKind = SignerKinds.Primary,
                    ApprovalMode = ApprovalModes.Single, AssigneeId = pooled ? null : user, DueAt = now.AddHours(i), CreatedAt = now,
                };
                db.Tasks.Add(task);
                if (pooled) db.TaskCandidates.AddRange(new TaskCandidateRecord { TaskId = task.Id, UserId = user }, new TaskCandidateRecord { TaskId = task.Id, UserId = "someone.else" });
            }

            await db.SaveChangesAsync();
        }

        var pages = new List<PageOf<TaskView>>();
        for (var page = 1; page <= 3; page++) pages.Add(await Inbox.TodoAsync(user, new InboxQuery { Page = page, PageSize = 200 }));

        var seen = pages.SelectMany(p => p.Items).ToList();
        Assert.That(pages.Select(p => (p.Items.Count, p.Total)), Is.EqualTo(new[] { (200, 460), (200, 460), (60, 460) }));
        Assert.That(seen.Select(t => t.Id).Distinct().Count(), Is.EqualTo(460));
        Assert.That(seen.Select(t => t.DueAt), Is.Ordered, "one order across the assigned and the claimable tasks");
        Assert.That(seen.Count(t => t.AssigneeId is null), Is.EqualTo(200));
        var latest = await Inbox.TodoAsync(user, new InboxQuery { Sort = InboxSort.DueDescending, PageSize = 1 });
        Assert.That(latest.Items.Single().Title, Is.EqualTo("第459项"));
    }

    [Test]
    public async Task The_inbox_finds_a_case_by_number_applicant_unit_or_summary_and_filters_by_unit()
    {
        var run = await StartAsAsync(_slow, "yx.applicant");
        var task = await OpenTaskAsync(run.InstanceId, "review");
        await using (var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
            await db.Tasks.Where(t => t.Id == task.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Summary, "库表 · 婚姻登记信息 · 市民政局"));

        Assert.That(task.ApplicantOrgUnitName, Is.EqualTo("叶县卫生健康委员会"));
        foreach (var text in new[] { "叶县卫生", "婚姻登记", task.BusinessNumber!, _slow })
            Assert.That((await Inbox.TodoAsync("rsj.approver", new InboxQuery { Search = text, PageSize = 200 })).Items.Select(t => t.Id), Does.Contain(task.Id), text);
        Assert.That((await Inbox.TodoAsync("rsj.approver", new InboxQuery { Search = "不存在的资源", PageSize = 200 })).Total, Is.Zero);
        Assert.That((await Inbox.TodoAsync("rsj.approver", new InboxQuery { OrgUnitId = YeCountyHealth, PageSize = 200 })).Items.Select(t => t.Id), Does.Contain(task.Id));
        Assert.That((await Inbox.TodoAsync("rsj.approver", new InboxQuery { OrgUnitId = PublicSecurity, PageSize = 200 })).Items.Select(t => t.Id), Does.Not.Contain(task.Id));
    }

    [Test]
    public async Task Group_tasks_are_claimable_until_someone_claims_them_and_done_lists_what_i_decided()
    {
        var run = await StartAsAsync(_pool, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        var task = await OpenTaskAsync(run.InstanceId, "review");
        Assert.That((await Inbox.ClaimableAsync("gaj.approver1", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Contain(task.Id));
        Assert.That((await Inbox.ClaimableAsync("rsj.approver", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Not.Contain(task.Id));

        Ok(await Tasks.ClaimAsync(task.Id, "gaj.approver2"));
        Assert.That((await Inbox.ClaimableAsync("gaj.approver1", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Not.Contain(task.Id));
        Assert.That((await Inbox.MyTasksAsync("gaj.approver2", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Contain(task.Id));

        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver2", null));
        Assert.That((await Inbox.DoneAsync("gaj.approver2", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Contain(task.Id));
        Assert.That((await Inbox.MyTasksAsync("gaj.approver2", new InboxQuery { PageSize = 200 })).Items.Select(t => t.Id), Does.Not.Contain(task.Id));
    }

    [Test]
    public async Task My_applications_show_where_each_stands_who_holds_it_and_when_it_is_due()
    {
        var waiting = await StartAsAsync(_pool, "yx.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        var finished = await StartAsAsync(_slow, "yx.applicant");
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(finished.InstanceId, "review")).Id, "rsj.approver", null));

        var applications = await Inbox.MyApplicationsAsync("yx.applicant", pageSize: 200);

        var open = applications.Items.Single(a => a.InstanceId == waiting.InstanceId);
        Assert.That(open.Status, Is.EqualTo(WorkflowStatus.Suspended));
        Assert.That(open.ProcessName, Is.EqualTo(_pool));
        Assert.That(open.CurrentSteps.Single().Candidates, Is.EquivalentTo(new[] { "gaj.approver1", "gaj.approver2" }));
        var done = applications.Items.Single(a => a.InstanceId == finished.InstanceId);
        Assert.That((done.Status, done.CurrentSteps.Count), Is.EqualTo((WorkflowStatus.Finished, 0)));
        Assert.That((await Inbox.CountsAsync("yx.applicant")).OpenApplications, Is.GreaterThanOrEqualTo(1));
    }
}
