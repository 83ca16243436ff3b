using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Deadlines;
using PdsWorkflow.Workflows.Organization;
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
