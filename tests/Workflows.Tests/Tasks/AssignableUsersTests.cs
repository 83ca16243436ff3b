using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;
using static PdsWorkflow.Tests.Support.TestOrganization;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>
/// Who a task may be handed to (issue #13, #18): 转办, 委派 and 加签 only to active users of the unit the task acts for, 抄送 only
/// to active users of the case's parties; anything else refused with nothing written; the picker lists only those people.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class AssignableUsersTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private AssignableUsers Picker => Services.GetRequiredService<AssignableUsers>();

    /// <summary>市人社局 applies; 市公安局's approvers (a pool of two) decide.</summary>
    private async Task<(Guid Instance, TaskView Task)> ProviderApprovalAsync()
    {
        var id = UniqueId("assign");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").UserTask("review", Role(Roles.ProviderApprover, "provider"))
            .Add("end", "End").Chain("start", "review").Connect("review:Approve", "end").Build());
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        return (run.InstanceId, await OpenTaskAsync(run.InstanceId, "review"));
    }

    [Test]
    public async Task Transfer_delegate_and_add_signer_outside_the_tasks_unit_are_refused_and_write_nothing()
    {
        var (instance, task) = await ProviderApprovalAsync();
        Ok(await Tasks.ClaimAsync(task.Id, "gaj.approver1"));
        var before = await FootprintAsync(instance);

        var transfer = await Tasks.TransferAsync(task.Id, "gaj.approver1", "rsj.approver", "请人社局办理");
        var delegated = await Tasks.DelegateAsync(task.Id, "gaj.approver1", "admin1", null);
        var signer = await Tasks.AddSignerAsync(task.Id, "gaj.approver1", "sub.staff", SignerKinds.Before, null);
        var inactive = await Tasks.TransferAsync(task.Id, "gaj.approver1", "inactive", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Refusal(transfer), Is.EqualTo("user_not_assignable"));
            Assert.That(transfer.Error!.Detail, Does.Contain("市公安局").And.Contain("rsj.approver"), "names the allowed unit and who is not in it");
            Assert.That(transfer.Error.Errors.Single().Input, Is.EqualTo("toUser"));
            Assert.That(Refusal(delegated), Is.EqualTo("user_not_assignable"));
            Assert.That(Refusal(signer), Is.EqualTo("user_not_assignable"), "a secondary unit is not its parent");
            Assert.That(signer.Error!.Errors.Single().Input, Is.EqualTo("signer"));
            Assert.That(Refusal(inactive), Is.EqualTo("unknown_user"));
            Assert.That(await FootprintAsync(instance), Is.EqualTo(before), "no task, action, journal entry, copy or message");
            Assert.That((await Inbox.GetAsync(task.Id))!.AssigneeId, Is.EqualTo("gaj.approver1"));
        }

        Assert.That(Ok(await Tasks.TransferAsync(task.Id, "gaj.approver1", "gaj.staff", null)).AssigneeId, Is.EqualTo("gaj.staff"));
    }

    [Test]
    public async Task Copy_goes_only_to_the_parties_of_the_case_and_a_refused_copy_writes_nothing()
    {
        var (instance, task) = await ProviderApprovalAsync();
        var before = await FootprintAsync(instance);

        var outside = await Tasks.CopyAsync(task.Id, "gaj.approver1", ["admin1", "yx.admin"], "请知悉");
        Assert.That(Refusal(outside), Is.EqualTo("user_not_assignable"));
        Assert.That(outside.Error!.Detail, Does.Contain("yx.admin").And.Not.Contain("admin1"));
        Assert.That(outside.Error.Errors.Single().Input, Is.EqualTo("users"));
        Assert.That(await FootprintAsync(instance), Is.EqualTo(before), "not even the allowed one of the two is copied");

        // The applicant's unit, the unit the task acts for and the bureau are parties.
        Ok(await Tasks.CopyAsync(task.Id, "gaj.approver1", ["admin1", "rsj.approver", "gaj.staff"], "请知悉"));
        Assert.That((await Inbox.CopiedToMeAsync("rsj.approver", unreadOnly: true)).Items.Select(c => c.InstanceId), Does.Contain(instance));
    }

    [Test]
    public async Task A_task_without_a_unit_goes_only_to_the_people_of_its_holders_unit()
    {
        var id = UniqueId("named");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start").UserTask("review", Users("rsj.approver")).Add("end", "End")
            .Chain("start", "review").Connect("review:Approve", "end").Build());
        var run = await StartAsAsync(id, "yx.applicant");
        var task = await OpenTaskAsync(run.InstanceId, "review");

        Assert.That(Refusal(await Tasks.TransferAsync(task.Id, "rsj.approver", "gaj.staff", null)), Is.EqualTo("user_not_assignable"));
        Assert.That(Ok(await Tasks.TransferAsync(task.Id, "rsj.approver", "rsj.admin", null)).AssigneeId, Is.EqualTo("rsj.admin"));
    }

    [Test]
    public async Task The_picker_lists_only_the_people_the_action_may_name_searched_by_name_unit_or_role()
    {
        var (_, task) = await ProviderApprovalAsync();

        var transfer = Ok((await Picker.SearchAsync(task.Id, "gaj.approver1", AssignAction.Transfer, null, null, 1, 100, CancellationToken.None))!.Value);
        Assert.That(transfer.Items.Select(u => u.Id), Is.EquivalentTo(new[] { "gaj.approver2", "gaj.staff", "gaj.admin" }),
            "active users of 市公安局, without the holder himself and the inactive one");
        Assert.That(transfer.Units.Select(u => u.Name), Is.EqualTo(new[] { "市公安局" }));
        Assert.That(transfer.Items.Single(u => u.Id == "gaj.staff").Roles, Is.EqualTo(new[] { "数据共享责任人" }));

        var byRole = Ok((await Picker.SearchAsync(task.Id, "gaj.approver1", AssignAction.Transfer, "审批人", null, 1, 100, CancellationToken.None))!.Value);
        Assert.That(byRole.Items.Select(u => u.Id), Is.EqualTo(new[] { "gaj.approver2" }));

        var copy = Ok((await Picker.SearchAsync(task.Id, "gaj.approver1", AssignAction.Copy, null, null, 1, 100, CancellationToken.None))!.Value);
        Assert.That(copy.Units.Select(u => u.Id), Is.EquivalentTo(new[] { PublicSecurity, HumanResources, Bureau }));
        Assert.That(copy.Items.Select(u => u.OrgUnitId).Distinct(), Is.EquivalentTo(new[] { PublicSecurity, HumanResources, Bureau }));
        Assert.That(copy.Items.Select(u => u.Id), Does.Not.Contain("yx.admin").And.Not.Contain("sub.staff").And.Not.Contain("inactive"));

        var byUnit = Ok((await Picker.SearchAsync(task.Id, "gaj.approver1", AssignAction.Copy, "人力资源", null, 1, 100, CancellationToken.None))!.Value);
        Assert.That(byUnit.Items.Select(u => u.OrgUnitId).Distinct(), Is.EqualTo(new[] { HumanResources }));
        var inUnit = Ok((await Picker.SearchAsync(task.Id, "gaj.approver1", AssignAction.Copy, null, Bureau, 1, 100, CancellationToken.None))!.Value);
        Assert.That(inUnit.Items.Select(u => u.OrgUnitId).Distinct(), Is.EqualTo(new[] { Bureau }));
        var elsewhere = Ok((await Picker.SearchAsync(task.Id, "gaj.approver1", AssignAction.Copy, null, YeCounty, 1, 100, CancellationToken.None))!.Value);
        Assert.That(elsewhere.Items.Select(u => u.OrgUnitId), Has.None.EqualTo(YeCounty), "a unit outside the parties is no way in");

        Assert.That(Refusal((await Picker.SearchAsync(task.Id, "rsj.approver", AssignAction.Transfer, null, null, 1, 20, CancellationToken.None))!.Value),
            Is.EqualTo("not_task_holder"));
    }

    /// <summary>Everything a task command could write about the case, counted.</summary>
    private async Task<(int Tasks, int Actions, int Journal, int Copies, int Outbox, int Candidates)> FootprintAsync(Guid instance)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return (await db.Tasks.CountAsync(t => t.InstanceId == instance), await db.TaskActions.CountAsync(a => a.InstanceId == instance),
            await db.Journal.CountAsync(j => j.InstanceId == instance), await db.CarbonCopies.CountAsync(c => c.InstanceId == instance),
            await db.Outbox.CountAsync(o => o.InstanceId == instance),
            await db.TaskCandidates.CountAsync(c => db.Tasks.Any(t => t.Id == c.TaskId && t.InstanceId == instance)));
    }
}
