using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Definitions;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;
using PdsWorkflow.Workflows.Tasks;
using PdsWorkflow.Tests.Support;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>
/// 业务编号 (issue #18): a case is numbered prefix-year-sequence when it is submitted (a draft has none), the number reaches
/// its tasks and the journal, numbers are unique when many cases are submitted at once, and a process without an applicant
/// step numbers its case when it starts.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class BusinessNumberTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>A prefix of its own per test, so that the tests' sequences do not meet (the sequence is per prefix and year).</summary>
    private static string Prefix() => "测" + Guid.NewGuid().ToString("N")[..6];

    private async Task<string> ApplicationProcessAsync(string prefix)
    {
        var id = UniqueId("numbered");
        var definition = new DefinitionBuilder(id).Add("start", "Start").UserTask("submit", Initiator()).UserTask("review", Users("rsj.approver"))
            .Add("end", "End").Chain("start", "submit").Connect("submit:Approve", "review").Connect("review:Approve", "end").Build();
        definition.BusinessNumberPrefix = prefix;
        await PublishAsync(definition);
        return id;
    }

    [Test]
    public async Task A_case_gets_its_number_when_submitted_and_its_tasks_and_journal_carry_it()
    {
        Clock.Set(new DateTimeOffset(2026, 12, 31, 23, 30, 0, Beijing)); // still 2026 in Beijing, 2026-12-31 15:30 UTC
        var prefix = Prefix();
        var process = await ApplicationProcessAsync(prefix);
        var run = await StartAsAsync(process, "yx.applicant");
        var draft = await OpenTaskAsync(run.InstanceId, "submit");
        Assert.That((draft.BusinessNumber, draft.IsDraft), Is.EqualTo(((string?)null, true)), "a draft has no number");
        Assert.That(draft.ApplicantOrgUnitName, Is.EqualTo("叶县卫生健康委员会"));

        Ok(await Tasks.ApproveAsync(draft.Id, "yx.applicant", "提交"));

        var review = await OpenTaskAsync(run.InstanceId, "review");
        var number = $"{prefix}-2026-000001";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await NumberAsync(run.InstanceId), Is.EqualTo(number));
            Assert.That((review.BusinessNumber, review.IsDraft, review.ApplicantOrgUnitName), Is.EqualTo((number, false, "叶县卫生健康委员会")));
            Assert.That((await Inbox.GetAsync(draft.Id))!.BusinessNumber, Is.EqualTo(number), "the submitted step too");
            Assert.That((await JournalAsync(run.InstanceId)).Select(j => j.Message), Does.Contain($"业务编号：{number}"));
            Assert.That((await Inbox.MyTasksAsync("rsj.approver", new InboxQuery { Search = number })).Items.Select(t => t.Id), Is.EqualTo(new[] { review.Id }));
        }

        Clock.Set(new DateTimeOffset(2027, 1, 1, 8, 0, 0, Beijing));
        var next = await StartAsAsync(process, "yx.applicant");
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(next.InstanceId, "submit")).Id, "yx.applicant", "提交"));
        Assert.That(await NumberAsync(next.InstanceId), Is.EqualTo($"{prefix}-2027-000001"), "each year counts from 1");
    }

    [Test]
    public async Task A_correction_keeps_the_number_and_a_process_without_an_applicant_step_is_numbered_at_its_start()
    {
        var prefix = Prefix();
        var process = await ApplicationProcessAsync(prefix);
        var run = await StartAsAsync(process, "yx.applicant");
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(run.InstanceId, "submit")).Id, "yx.applicant", null));
        var number = await NumberAsync(run.InstanceId);
        Ok(await Tasks.ReturnAsync((await OpenTaskAsync(run.InstanceId, "review")).Id, "rsj.approver", "submit", "请补正"));
        var correction = await OpenTaskAsync(run.InstanceId, "submit");
        Assert.That((correction.BusinessNumber, correction.IsDraft), Is.EqualTo((number, false)), "a correction is not a draft");
        Ok(await Tasks.ApproveAsync(correction.Id, "yx.applicant", null));
        Assert.That(await NumberAsync(run.InstanceId), Is.EqualTo(number));

        var id = UniqueId("direct");
        var direct = new DefinitionBuilder(id).Add("start", "Start").UserTask("review", Users("rsj.approver")).Add("end", "End")
            .Chain("start", "review").Connect("review:Approve", "end").Build();
        direct.BusinessNumberPrefix = prefix;
        await PublishAsync(direct);
        var started = await StartAsAsync(id, "yx.applicant");
        var year = Clock.GetUtcNow().ToOffset(Beijing).Year;
        Assert.That(await NumberAsync(started.InstanceId), Is.EqualTo($"{prefix}-{year}-000002"), "definitions sharing a prefix share its sequence");
        Assert.That((await OpenTaskAsync(started.InstanceId, "review")).BusinessNumber, Is.EqualTo($"{prefix}-{year}-000002"));
    }

    [Test]
    public async Task Cases_submitted_at_the_same_time_get_distinct_numbers()
    {
        const int cases = 12;
        var prefix = Prefix();
        var process = await ApplicationProcessAsync(prefix);
        var drafts = new List<(Guid Instance, Guid Task)>();
        for (var i = 0; i < cases; i++)
        {
            var run = await StartAsAsync(process, "yx.applicant");
            drafts.Add((run.InstanceId, (await OpenTaskAsync(run.InstanceId, "submit")).Id));
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submissions = drafts.Select(d => Task.Run(async () =>
        {
            await gate.Task;
            return await Tasks.ApproveAsync(d.Task, "yx.applicant", null);
        })).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(submissions);

        Assert.That(results.All(r => r.IsSuccess), Is.True, string.Join(" | ", results.Where(r => !r.IsSuccess)));
        var numbers = new List<string?>();
        foreach (var (instance, _) in drafts) numbers.Add(await NumberAsync(instance));
        var year = Clock.GetUtcNow().ToOffset(Beijing).Year;
        Assert.That(numbers.Distinct().Count(), Is.EqualTo(cases), string.Join(", ", numbers));
        Assert.That(numbers, Has.All.Matches<string>(n => System.Text.RegularExpressions.Regex.IsMatch(n, $"^{prefix}-{year}-[0-9]{{6}}$")));
    }

    [Test]
    public void A_prefix_with_a_dash_or_too_long_does_not_publish()
    {
        var definition = new DefinitionBuilder(UniqueId("badprefix")).Add("start", "Start").Add("end", "End").Chain("start", "end").Build();
        definition.BusinessNumberPrefix = "订-阅";
        var validator = Services.GetRequiredService<DefinitionValidator>();
        Assert.That(validator.Validate(definition).Select(e => e.Code), Does.Contain("invalid_business_number_prefix"));
        definition.BusinessNumberPrefix = "一二三四五六七八九十一";
        Assert.That(validator.Validate(definition).Select(e => e.Code), Does.Contain("invalid_business_number_prefix"));
        definition.BusinessNumberPrefix = "订阅";
        Assert.That(validator.Validate(definition).Select(e => e.Code), Does.Not.Contain("invalid_business_number_prefix"));
    }

    private async Task<string?> NumberAsync(Guid instance)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return await db.Instances.Where(i => i.Id == instance).Select(i => i.BusinessNumber).SingleAsync();
    }
}
