using PdsWorkflow.Workflows.Tasks;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>The task's state moves only along its transitions; the refusals say why an actor may not move it.</summary>
public sealed class TaskRecordTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 2, 0, 0, DateTimeKind.Utc);

    private static TaskRecord NewTask(string status = TaskStatuses.Open, string? assignee = null) => new()
    {
        Id = Guid.NewGuid(), ActivityId = "review", DefinitionId = "test", Title = "审核", Status = status, SignerKind = SignerKinds.Primary,
        ApprovalMode = ApprovalModes.Single, AssigneeId = assignee,
    };

    private static ValueTask<bool> Candidate() => ValueTask.FromResult(true);

    private static ValueTask<bool> NotCandidate() => ValueTask.FromResult(false);

    [Test]
    public void A_decided_task_cannot_be_decided_claimed_or_cancelled_again()
    {
        var task = NewTask(assignee: "a");
        task.Complete(Votes.Approve, UserTask.Approve, "同意", "a", Now);

        Assert.That((task.Status, task.Vote, task.CompletedBy, task.CompletedAt), Is.EqualTo((TaskStatuses.Completed, Votes.Approve, "a", (DateTime?)Now)));
        Assert.Throws<InvalidOperationException>(() => task.Complete(Votes.Reject, UserTask.Reject, null, "a", Now));
        Assert.Throws<InvalidOperationException>(() => task.Cancel(Now));
        Assert.Throws<InvalidOperationException>(() => task.TransferTo("b"));
        Assert.Throws<InvalidOperationException>(() => task.Urge(Now));
    }

    [Test]
    public void Only_a_waiting_or_not_yet_due_task_is_activated_and_only_an_open_one_waits_for_signers()
    {
        var open = NewTask(assignee: "a");
        Assert.Throws<InvalidOperationException>(open.Activate);
        open.WaitForSigners();
        Assert.That(open.Status, Is.EqualTo(TaskStatuses.Waiting));
        Assert.Throws<InvalidOperationException>(open.WaitForSigners);
        open.Activate();
        Assert.That(open.Status, Is.EqualTo(TaskStatuses.Open));

        var later = NewTask(TaskStatuses.Pending, "b");
        later.Activate();
        Assert.That(later.Status, Is.EqualTo(TaskStatuses.Open));
    }

    [Test]
    public void A_claimed_task_is_not_claimed_again_and_a_delegated_one_is_neither_released_nor_delegated_again()
    {
        var task = NewTask();
        task.Claim("a", Now);
        Assert.Throws<InvalidOperationException>(() => task.Claim("b", Now));

        task.DelegateTo("a", "c");
        Assert.That((task.AssigneeId, task.OwnerId, task.DelegationState, task.IsDelegated), Is.EqualTo(("c", "a", DelegationStates.Pending, true)));
        Assert.Throws<InvalidOperationException>(task.Release);
        Assert.Throws<InvalidOperationException>(() => task.DelegateTo("c", "d"));
        Assert.Throws<InvalidOperationException>(() => task.TransferTo("d"));

        task.ResolveDelegation();
        Assert.That((task.AssigneeId, task.DelegationState, task.IsDelegated), Is.EqualTo(("a", DelegationStates.Resolved, false)));
        Assert.Throws<InvalidOperationException>(task.ResolveDelegation);
    }

    [Test]
    public async Task Deciding_is_for_the_assignee_or_a_candidate_of_an_unclaimed_pool_task()
    {
        Assert.That(await NewTask().DecisionRefusalAsync("a", Candidate), Is.Null, "a candidate claims a pool task by deciding it");
        Assert.That((await NewTask().DecisionRefusalAsync("x", NotCandidate))?.Code, Is.EqualTo("not_task_holder"));
        Assert.That(await NewTask(assignee: "a").DecisionRefusalAsync("a", NotCandidate), Is.Null);
        Assert.That((await NewTask(assignee: "a").DecisionRefusalAsync("b", Candidate))?.Code, Is.EqualTo("task_claimed_by_other"));
        Assert.That((await NewTask(TaskStatuses.Waiting, "a").DecisionRefusalAsync("a", Candidate))?.Code, Is.EqualTo("task_not_open"));

        var delegated = NewTask(assignee: "a");
        delegated.DelegateTo("a", "c");
        Assert.That((await delegated.DecisionRefusalAsync("a", Candidate))?.Code, Is.EqualTo("task_delegated"));
        Assert.That((await delegated.DecisionRefusalAsync("c", NotCandidate))?.Code, Is.EqualTo("task_delegated"));
        Assert.That(delegated.ResolveRefusal("c"), Is.Null);
        Assert.That(delegated.ResolveRefusal("a")?.Code, Is.EqualTo("not_delegated_to_you"));
    }

    [Test]
    public void Releasing_is_for_the_assignee_of_a_task_shared_with_other_candidates()
    {
        var pool = NewTask(assignee: "a");
        Assert.That(pool.ReleaseRefusal("a", ["a", "b"]), Is.Null);
        Assert.That(pool.ReleaseRefusal("b", ["a", "b"])?.Code, Is.EqualTo("not_task_holder"));
        Assert.That(pool.ReleaseRefusal("a", ["a"])?.Code, Is.EqualTo("not_a_pool_task"));

        pool.DelegateTo("a", "c");
        Assert.That(pool.ReleaseRefusal("c", ["a", "b"])?.Code, Is.EqualTo("task_delegated"));
    }

    [Test]
    public async Task The_candidates_are_asked_only_when_the_answer_depends_on_them()
    {
        var asked = 0;
        ValueTask<bool> Counting()
        {
            asked++;
            return ValueTask.FromResult(true);
        }

        await NewTask(assignee: "a").DecisionRefusalAsync("a", Counting);
        await NewTask(TaskStatuses.Completed, "a").DecisionRefusalAsync("b", Counting);
        await NewTask(assignee: "a").ClaimRefusalAsync("b", Counting);
        Assert.That(asked, Is.Zero);
        await NewTask().DecisionRefusalAsync("a", Counting);
        Assert.That(asked, Is.EqualTo(1));
    }
}
