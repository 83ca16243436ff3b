using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Journal;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.DefinitionBuilder;

namespace PdsWorkflow.Workflows.Tests.Runtime;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class JournalTests(DatabaseProvider provider) : EngineTestBase(provider)
{
    private const string Table = "\"wf_journal\"";

    /// <summary>A finished instance with a journal of a dozen or so entries.</summary>
    private async Task<Guid> FinishedInstanceAsync()
    {
        var id = UniqueId("audit");
        await PublishAsync(new DefinitionBuilder(id).Variable("opinion")
            .Add("start", "Start").Add("review", "WaitForEvent", Event("review"))
            .Add("keep", "SetVariable", ("variable", Literal("opinion")), ("value", Js("outputs.review.payload.opinion")))
            .Add("end", "End").Chain("start", "review", "keep", "end").Build());
        var started = await StartAsync(id);
        await ResumeAsync(Bookmark(started, "review").Id, new JsonObject { ["opinion"] = "同意共享" });
        return started.InstanceId;
    }

    [Test]
    public async Task Untouched_journal_verifies_intact()
    {
        var instance = await FinishedInstanceAsync();
        var verification = await Verifier.VerifyAsync(instance);
        Assert.That(verification!.IsIntact, Is.True, verification.Verdict);
        Assert.That(verification.EntryCount, Is.EqualTo((await JournalAsync(instance)).Count));
        Assert.That(verification.Verdict, Does.StartWith("日志完整"));
    }

    [Test]
    public async Task Changed_entry_is_named()
    {
        var instance = await FinishedInstanceAsync();
        var target = (await JournalAsync(instance)).First(j => j.Actor == "approver").Sequence;
        await ExecuteSqlAsync($"UPDATE {Table} SET \"Actor\" = 'intruder' WHERE \"InstanceId\" = {{0}} AND \"Sequence\" = {{1}}", instance, target);

        var verification = await Verifier.VerifyAsync(instance);

        Assert.That(verification!.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { (target, JournalViolationKinds.Altered) }));
        Assert.That(verification.Verdict, Does.Contain($"第 {target} 条"));
    }

    [Test]
    public async Task Deleted_entry_is_named()
    {
        var instance = await FinishedInstanceAsync();
        await ExecuteSqlAsync($"DELETE FROM {Table} WHERE \"InstanceId\" = {{0}} AND \"Sequence\" = 4", instance);

        var verification = await Verifier.VerifyAsync(instance);

        Assert.That(verification!.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { (4L, JournalViolationKinds.Missing) }));
    }

    [Test]
    public async Task Deleted_last_entries_are_caught_by_the_head_on_the_instance()
    {
        var instance = await FinishedInstanceAsync();
        var count = (await JournalAsync(instance)).Count;
        await ExecuteSqlAsync($"DELETE FROM {Table} WHERE \"InstanceId\" = {{0}} AND \"Sequence\" >= {{1}}", instance, count - 1);

        var verification = await Verifier.VerifyAsync(instance);

        Assert.That(verification!.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[] { ((long)count - 1, JournalViolationKinds.Missing) }));
    }

    [Test]
    public async Task Swapped_entries_are_named_as_reordered()
    {
        var instance = await FinishedInstanceAsync();
        await ExecuteSqlAsync($"UPDATE {Table} SET \"Sequence\" = -1 WHERE \"InstanceId\" = {{0}} AND \"Sequence\" = 3", instance);
        await ExecuteSqlAsync($"UPDATE {Table} SET \"Sequence\" = 3 WHERE \"InstanceId\" = {{0}} AND \"Sequence\" = 5", instance);
        await ExecuteSqlAsync($"UPDATE {Table} SET \"Sequence\" = 5 WHERE \"InstanceId\" = {{0}} AND \"Sequence\" = -1", instance);

        var verification = await Verifier.VerifyAsync(instance);

        Assert.That(verification!.Violations.Select(v => (v.Sequence, v.Kind)), Is.EqualTo(new[]
            { (3L, JournalViolationKinds.Reordered), (5L, JournalViolationKinds.Reordered) }));
        Assert.That(verification.Violations[0].Message, Does.Contain("原为第 5 条"));
    }

    [Test]
    public async Task Entry_appended_behind_the_engines_back_is_named()
    {
        var instance = await FinishedInstanceAsync();
        var last = (await JournalAsync(instance))[^1];
        await ExecuteSqlAsync(
            $"INSERT INTO {Table} (\"InstanceId\", \"Sequence\", \"Timestamp\", \"EventName\", \"PreviousHash\", \"Hash\") VALUES ({{0}}, {{1}}, {{2}}, 'Note', {{3}}, {{4}})",
            instance, last.Sequence + 1, last.Timestamp.UtcDateTime, last.Hash, new string('0', 64));

        var verification = await Verifier.VerifyAsync(instance);

        Assert.That(verification!.IsIntact, Is.False);
        Assert.That(verification.Violations.Select(v => v.Sequence), Does.Contain(last.Sequence + 1));
    }
}
