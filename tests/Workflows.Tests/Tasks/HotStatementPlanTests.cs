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
/// The engine stays flat in the size of its history (issue #17): every statement a case start, a task completion and the
/// inbox send finds its rows through an index, never by reading a whole table (or a whole index) that grows with finished
/// tasks and cases. The plans are the database's own, taken by <see cref="StatementPlans"/> from the statements EF Core
/// really sends, in their transaction, with their parameters. Speed itself is measured by tests/Benchmarks (history).
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed partial class HotStatementPlanTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private const string GroupIndex = "IX_wf_tasks_ActivityExecutionId";
    private const string SignerIndex = "IX_wf_tasks_AnchorTaskId";

    /// <summary>
    /// Partial indexes of open rows only (M005): reading one whole costs what the open work costs, not the history, and
    /// PostgreSQL does so for the claimable list when a handful of rows makes that cheapest.
    /// </summary>
    private static readonly string[] OpenRowsOnly = ["IX_wf_tasks_Claimable"];
    private readonly StatementPlans _plans = new(provider);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.ConfigureDbContext<WorkflowDbContext>(b => b.AddInterceptors(_plans));
    }

    [SetUp]
    public void ForgetEarlierStatements() => _plans.Clear();

    [TearDown]
    public void StopRecording() => _plans.Recording = null;

    [Test]
    public async Task A_steps_group_of_tasks_is_read_through_the_activity_execution_index()
    {
        var id = await PublishApprovalAsync();
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(run.InstanceId, "review")).Id, "gaj.approver1", "同意"));
        var member = (await OpenTasksAsync(run.InstanceId)).First(t => t.ActivityId == "countersign");

        _plans.Recording = "countersign, first of two";
        Ok(await Tasks.ApproveAsync(member.Id, member.AssigneeId!, "同意"));
        _plans.Recording = null;

        AssertReadThrough(GroupIndex, "\"ActivityExecutionId\" = ", "the completion reads its step's group of tasks");
    }

    [Test]
    public async Task The_other_signers_of_a_task_are_found_through_the_anchor_index()
    {
        var id = await PublishApprovalAsync();
        var run = await StartAsAsync(id, "rsj.applicant", new JsonObject { ["providerOrgUnitId"] = PublicSecurity });
        var review = await OpenTaskAsync(run.InstanceId, "review");
        Ok(await Tasks.ClaimAsync(review.Id, "gaj.approver1"));
        var later = Ok(await Tasks.AddSignerAsync(review.Id, "gaj.approver1", "gaj.approver2", SignerKinds.After, "请复核"));
        Ok(await Tasks.AddSignerAsync(review.Id, "gaj.approver1", "gaj.staff", SignerKinds.Before, "请先核实"));

        _plans.Recording = "减签 of the signer after, while the one before is open";
        Ok(await Tasks.RemoveSignerAsync(review.Id, "gaj.approver1", later.Id, "无需复核"));
        _plans.Recording = null;

        // "Any other open signer before?" (the signer itself is read by its key).
        AssertReadThrough(SignerIndex, "\"AnchorTaskId\" = ", "减签 asks whether other signers are still open", byKey: false);
    }

    [Test]
    public async Task Every_statement_of_a_start_and_of_each_completion_reads_through_an_index()
    {
        var id = await PublishApprovalAsync();
        var input = new JsonObject { ["providerOrgUnitId"] = PublicSecurity };

        _plans.Recording = "start";
        var run = await StartAsAsync(id, "rsj.applicant", input);
        var review = await OpenTaskAsync(run.InstanceId, "review");
        _plans.Recording = "approve a pool task (claimed by the decider)";
        Ok(await Tasks.ApproveAsync(review.Id, "gaj.approver1", "同意"));
        var members = (await OpenTasksAsync(run.InstanceId)).Where(t => t.ActivityId == "countersign").ToList();
        Assert.That(members, Has.Count.EqualTo(2));
        _plans.Recording = "countersign, first of two";
        Ok(await Tasks.ApproveAsync(members[0].Id, members[0].AssigneeId!, "同意"));
        _plans.Recording = "countersign, the deciding one";
        Ok(await Tasks.ApproveAsync(members[1].Id, members[1].AssigneeId!, "同意"));
        _plans.Recording = null;
        var final = await OpenTaskAsync(run.InstanceId, "final");
        _plans.Recording = "加签 and 减签 of a signer before";
        var signer = Ok(await Tasks.AddSignerAsync(final.Id, "admin1", "admin2", SignerKinds.Before, "请先复核"));
        Ok(await Tasks.RemoveSignerAsync(final.Id, "admin1", signer.Id, "无需复核"));
        _plans.Recording = "the last step, which ends the case and signs its checkpoint";
        Ok(await Tasks.ApproveAsync(final.Id, "admin1", "同意"));
        _plans.Recording = null;
        var rejected = await OpenTaskAsync((await StartAsAsync(id, "rsj.applicant", input)).InstanceId, "review");
        _plans.Recording = "reject, which ends the case";
        Ok(await Tasks.RejectAsync(rejected.Id, "gaj.approver2", "材料不全"));
        _plans.Recording = null;

        Assert.That(await InstanceStatusAsync(run.InstanceId), Is.EqualTo(PdsWorkflow.Workflows.Runtime.WorkflowStatus.Finished));
        AssertEveryStatementUsesAnIndex("start", "approve a pool task (claimed by the decider)", "countersign, first of two",
            "countersign, the deciding one", "加签 and 减签 of a signer before", "the last step, which ends the case and signs its checkpoint", "reject, which ends the case");
    }

    [Test]
    public async Task Every_inbox_query_reads_through_an_index()
    {
        var id = await PublishApprovalAsync();
        var input = new JsonObject { ["providerOrgUnitId"] = PublicSecurity };
        var done = await StartAsAsync(id, "rsj.applicant", input);
        var review = await OpenTaskAsync(done.InstanceId, "review");
        Ok(await Tasks.ApproveAsync(review.Id, "gaj.approver1", "同意"));
        var member = (await OpenTasksAsync(done.InstanceId)).First(t => t.ActivityId == "countersign");
        Ok(await Tasks.CopyAsync(member.Id, member.AssigneeId!, ["rsj.approver"], "请阅"));
        var open = await StartAsAsync(id, "rsj.applicant", input);
        var filters = new InboxQuery { Search = BusinessNumbers.DefaultPrefix, DefinitionId = id, OrgUnitId = HumanResources, Level = PdsWorkflow.Workflows.Deadlines.WarningLevel.Normal, DueWithinWorkingDays = 5 };

        _plans.Recording = "inbox";
        foreach (var query in new[] { new InboxQuery() }.Concat(Enum.GetValues<InboxSort>().Select(sort => filters with { Sort = sort })))
        {
            await Inbox.TodoAsync("gaj.approver1", query);
            await Inbox.MyTasksAsync(member.AssigneeId!, query);
            await Inbox.ClaimableAsync("gaj.approver2", query);
            await Inbox.DoneAsync("gaj.approver1", query);
        }

        await Inbox.CopiedToMeAsync("rsj.approver", unreadOnly: false);
        await Inbox.CopiedToMeAsync("rsj.approver", unreadOnly: true);
        await Inbox.MyApplicationsAsync("rsj.applicant");
        await Inbox.MyApplicationsAsync("rsj.applicant", search: BusinessNumbers.DefaultPrefix);
        await Inbox.CountsAsync("gaj.approver1");
        await Inbox.CountsAsync("rsj.applicant");
        await Inbox.TasksOfInstanceAsync(open.InstanceId);
        await Inbox.GetAsync(review.Id);
        await Inbox.ActionsOfInstanceAsync(done.InstanceId);
        await Inbox.CaseClockAsync(done.InstanceId);
        await Inbox.AttachmentsOfInstanceAsync(done.InstanceId);
        _plans.Recording = null;

        AssertEveryStatementUsesAnIndex("inbox");
    }

    /// <summary>
    /// A pool step of the provider's approvers, a countersign (会签) of two named members with a working-day limit (its SLA
    /// timers are bookmarks too), and a last single approver; a rejection of the first step ends the case.
    /// </summary>
    private async Task<string> PublishApprovalAsync()
    {
        var id = UniqueId("plans");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("review", Role(Roles.ProviderApprover, "provider"))
            .UserTask("countersign", Users("member1", "member2"), mode: ApprovalModes.All, sla: new JsonObject { ["workingDays"] = 5 })
            .UserTask("final", Users("admin1"))
            .Add("yes", "End").Add("no", "End")
            .Chain("start", "review").Connect("review:Approve", "countersign").Connect("countersign:Approve", "final")
            .Connect("final:Approve", "yes").Connect("review:Reject", "no").Connect("countersign:Reject", "no").Connect("final:Reject", "no").Build());
        return id;
    }

    private void AssertEveryStatementUsesAnIndex(params string[] phases)
    {
        var statements = _plans.Statements;
        using (Assert.EnterMultipleScope())
        {
            foreach (var phase in phases)
                Assert.That(statements.Where(s => s.Phase == phase).ToList(), Is.Not.Empty, $"statements recorded for {phase}");
            var scans = statements.Where(s => s.Steps.Any(step => step.FullScan && !OpenRowsOnly.Contains(step.Index))).Select(s => s.ToString()).Distinct().ToList();
            Assert.That(scans, Is.Empty, $"statements that read a whole table or index ({Provider}):\n" + string.Join("\n\n", scans));
        }

        TestContext.Out.WriteLine(string.Join("\n\n", statements.Select(s => s.ToString()).Distinct()));
    }

    /// <summary>
    /// The recorded statements on the task table that filter with <paramref name="condition"/> read it through
    /// <paramref name="index"/>, and otherwise (a task command reads its task's group by the task's key in one statement)
    /// by primary key only.
    /// </summary>
    private void AssertReadThrough(string index, string condition, string what, bool byKey = true)
    {
        var statements = _plans.Statements.Where(s => TaskTable().IsMatch(s.Sql) && s.Sql.Contains(condition, StringComparison.Ordinal))
            .Where(s => byKey || !s.Sql.Contains("\"Id\" = @", StringComparison.Ordinal)).ToList();
        Assert.That(statements, Is.Not.Empty, what);
        foreach (var statement in statements)
        {
            var steps = statement.Steps.Where(s => s.Table == WorkflowDbContext.Tables.Tasks).ToList();
            Assert.That(steps.Where(s => s.Index == index).Select(s => s.FullScan), Is.EqualTo(new[] { false }), statement.ToString());
            Assert.That(steps.Where(s => s.Index != index).Select(s => (PrimaryKey(s.Index), s.FullScan)), Is.All.EqualTo((true, false)), statement.ToString());
        }
    }

    /// <summary>The task table's primary key as each database names its index.</summary>
    private static bool PrimaryKey(string? index) => index is "PRIMARY KEY" or "PK_wf_tasks" || (index?.StartsWith("sqlite_autoindex_wf_tasks", StringComparison.Ordinal) ?? false);

    [System.Text.RegularExpressions.GeneratedRegex("FROM \"?wf_tasks\"? AS")]
    private static partial System.Text.RegularExpressions.Regex TaskTable();
}
