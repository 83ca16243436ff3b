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

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>Due dates from the working-day calendar, yellow and red, reminders, breach and escalation, extensions.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SlaTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, Beijing);

    private async Task<(Guid Instance, TaskView Task)> ReviewAsync(JsonObject sla, DateTimeOffset receivedAt)
    {
        var id = UniqueId("sla");
        await PublishAsync(new DefinitionBuilder(id).Add("start", "Start")
            .UserTask("review", Users("gaj.approver1"), sla: sla)
            .Add("approved", "End", ("result", DefinitionBuilder.Literal("approved")))
            .Add("escalated", "End", ("result", DefinitionBuilder.Literal("escalated")))
            .Chain("start", "review").Connect("review:Approve", "approved").Connect("review:Escalated", "escalated").Build());
        Clock.Set(receivedAt);
        var instance = (await StartAsAsync(id, "rsj.applicant")).InstanceId;
        return (instance, await OpenTaskAsync(instance, "review"));
    }

    private async Task<WarningLevel?> LevelAtAsync(Guid taskId, DateTimeOffset at)
    {
        Clock.Set(at);
        return (await Inbox.GetAsync(taskId))!.Level;
    }

    [Test]
    public async Task Due_date_skips_the_Spring_Festival_and_turns_yellow_then_red()
    {
        // Received Fri 2026-02-13: day 1 is the makeup Saturday 02-14, 02-15..02-23 are off, days 2-5 are 02-24..02-27.
        var (_, task) = await ReviewAsync(new JsonObject { ["workingDays"] = 5 }, At(2, 13));

        Assert.That(task.DueAt, Is.EqualTo(new DateTimeOffset(2026, 2, 27, 23, 59, 59, Beijing)));
        Assert.That(task.YellowAt, Is.EqualTo(new DateTimeOffset(2026, 2, 26, 0, 0, 0, Beijing)), "one working day left from Thursday");
        Assert.That(await LevelAtAsync(task.Id, new DateTimeOffset(2026, 2, 25, 23, 59, 59, Beijing)), Is.EqualTo(WarningLevel.Normal));
        Assert.That(await LevelAtAsync(task.Id, new DateTimeOffset(2026, 2, 26, 0, 0, 0, Beijing)), Is.EqualTo(WarningLevel.Yellow));
        Assert.That(await LevelAtAsync(task.Id, new DateTimeOffset(2026, 2, 27, 23, 59, 59, Beijing)), Is.EqualTo(WarningLevel.Yellow));
        Assert.That(await LevelAtAsync(task.Id, new DateTimeOffset(2026, 2, 28, 0, 0, 0, Beijing)), Is.EqualTo(WarningLevel.Red));
    }

    [Test]
    public async Task Reminder_fires_when_yellow_and_breach_records_overdue_notifies_and_escalates()
    {
        var sla = new JsonObject
        {
            ["workingDays"] = 2,
            ["escalation"] = new JsonObject { ["notifyTo"] = Role(Roles.PlatformAdmin, "bureau"), ["takeEscalationOutcome"] = true },
        };
        // Received Mon 03-02: due Wed 03-04 23:59:59, yellow from Tue 03-03 00:00.
        var (instance, task) = await ReviewAsync(sla, At(3, 2));

        Clock.Set(new DateTimeOffset(2026, 3, 2, 23, 59, 59, Beijing));
        await Runtime.TriggerDueBookmarksAsync();
        Assert.That((await Inbox.ActionsOfInstanceAsync(instance)).Count(a => a.Action == TaskActions.Remind), Is.Zero, "not yellow yet");
        Clock.Set(new DateTimeOffset(2026, 3, 3, 0, 0, 1, Beijing));
        await Runtime.TriggerDueBookmarksAsync();
        var actions = await Inbox.ActionsOfInstanceAsync(instance);
        Assert.That(actions.Count(a => a.Action == TaskActions.Remind), Is.EqualTo(1));
        Assert.That(await OutboxAsync(instance, "notify.task-due-soon"), Is.EqualTo(1));
        Assert.That(await InstanceStatusAsync(instance), Is.EqualTo(WorkflowStatus.Suspended), "a reminder does not decide");

        Clock.Set(new DateTimeOffset(2026, 3, 4, 23, 59, 59, Beijing));
        await Runtime.TriggerDueBookmarksAsync();
        Assert.That((await Inbox.ActionsOfInstanceAsync(instance)).Count(a => a.Action == TaskActions.Overdue), Is.Zero, "the deadline itself is on time");
        Clock.Set(new DateTimeOffset(2026, 3, 5, 0, 0, 0, Beijing));
        await Runtime.TriggerDueBookmarksAsync();

        var journal = await JournalAsync(instance);
        Assert.That(journal.Any(j => j.EventName == JournalEvents.Note && j.Message!.StartsWith("已超期", StringComparison.Ordinal)), Is.True);
        Assert.That(await OutboxAsync(instance, "notify.task-overdue"), Is.EqualTo(2), "both platform admins are told");
        Assert.That((await Queries.GetInstanceAsync(instance))!.Result?.GetValue<string>(), Is.EqualTo("escalated"));
        Assert.That((await Inbox.GetAsync(task.Id))!.Status, Is.EqualTo(TaskStatuses.Cancelled));
    }

    [Test]
    public async Task Breach_without_an_escalation_outcome_leaves_the_step_open_and_red()
    {
        var (instance, task) = await ReviewAsync(new JsonObject { ["workingDays"] = 1, ["remind"] = false }, At(3, 2));
        Clock.Set(At(3, 4));
        await Runtime.TriggerDueBookmarksAsync();

        Assert.That((await Inbox.GetAsync(task.Id))!.Level, Is.EqualTo(WarningLevel.Red));
        Assert.That((await Inbox.ActionsOfInstanceAsync(instance)).Count(a => a.Action == TaskActions.Overdue), Is.EqualTo(1));
        Ok(await Tasks.ApproveAsync(task.Id, "gaj.approver1", "迟办"));
        Assert.That((await Queries.GetInstanceAsync(instance))!.Result?.GetValue<string>(), Is.EqualTo("approved"));
        Assert.That(await Queries.GetOpenBookmarksAsync(instance), Is.Empty);
    }

    [Test]
    public async Task Extension_requested_and_approved_by_the_configured_role_moves_the_deadline_and_its_timers()
    {
        // Received Mon 03-02 with 3 working days: due Thu 03-05. +2 approved: due Mon 03-09.
        var (instance, task) = await ReviewAsync(new JsonObject { ["workingDays"] = 3 }, At(3, 2));
        Clock.Set(At(3, 3));

        Assert.That(Refusal(await Tasks.RequestExtensionAsync(task.Id, "gaj.approver1", 2, null)), Is.EqualTo("reason_required"));
        var requested = Ok(await Tasks.RequestExtensionAsync(task.Id, "gaj.approver1", 2, "涉及字段多，需与业务科室核对"));
        Assert.That(requested.ExtensionPending, Is.True);
        Assert.That(Refusal(await Tasks.RequestExtensionAsync(task.Id, "gaj.approver1", 1, "再延")), Is.EqualTo("extension_pending"));
        Assert.That(Refusal(await Tasks.DecideExtensionAsync(task.Id, "gaj.approver2", approve: true, null)), Is.EqualTo("not_extension_approver"));

        var approved = Ok(await Tasks.DecideExtensionAsync(task.Id, "admin1", approve: true, null));

        Assert.That(approved.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 9, 23, 59, 59, Beijing)));
        Assert.That(approved.ExtensionPending, Is.False);
        var breach = (await Queries.GetOpenBookmarksAsync(instance)).Single(b => b.Name == UserTask.BreachBookmark);
        Assert.That(breach.DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 0, 0, 0, Beijing)));
        var actions = (await Inbox.ActionsOfInstanceAsync(instance)).Where(a => a.Action.Contains("extension")).Select(a => (a.Action, a.Actor));
        Assert.That(actions, Is.EqualTo(new[] { (TaskActions.RequestExtension, "gaj.approver1"), (TaskActions.ApproveExtension, "admin1") }));
    }

    [Test]
    public async Task A_rejected_extension_needs_a_reason_and_leaves_the_deadline()
    {
        var (_, task) = await ReviewAsync(new JsonObject { ["workingDays"] = 3 }, At(3, 2));
        Ok(await Tasks.RequestExtensionAsync(task.Id, "gaj.approver1", 2, "需要时间"));

        Assert.That(Refusal(await Tasks.DecideExtensionAsync(task.Id, "admin2", approve: false, null)), Is.EqualTo("reason_required"));
        var rejected = Ok(await Tasks.DecideExtensionAsync(task.Id, "admin2", approve: false, "时限内可完成"));

        Assert.That(rejected.DueAt, Is.EqualTo(task.DueAt));
        Assert.That(rejected.ExtensionPending, Is.False);
    }

    private async Task<int> OutboxAsync(Guid instance, string type)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Outbox.CountAsync(m => m.InstanceId == instance && m.Type == type);
    }
}
