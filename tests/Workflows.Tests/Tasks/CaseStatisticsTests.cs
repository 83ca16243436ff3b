using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Exports;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Statistics;
using static PdsWorkflow.Tests.Support.HumanSteps;

namespace PdsWorkflow.Workflows.Tests.Tasks;

/// <summary>
/// 办件统计 (issue #18) against a small data set whose figures are worked out by hand below: cases received and finished,
/// the on-time rate, the average handling time in working days (the 2026 calendar), late and overdue steps by unit and by
/// step, the daily trend, and the export table.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CaseStatisticsTests(DatabaseProvider provider) : TaskTestBase(provider)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddCaseStatistics();
    }

    private static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, Beijing);

    [Test]
    public async Task Received_finished_on_time_handling_days_and_late_steps_match_the_hand_count()
    {
        // 甲: the applicant submits, 市人社局's department admin reviews within 2 working days.
        var a = UniqueId("stat-a");
        await PublishAsync(Named(new DefinitionBuilder(a).Add("start", "Start").UserTask("submit", Initiator())
            .UserTask("review", Role(Roles.DepartmentAdmin, "orgUnit", TestOrganization.HumanResources), sla: new() { ["workingDays"] = 2 })
            .Add("end", "End").Chain("start", "submit").Connect("submit:Approve", "review").Connect("review:Approve", "end").Build(), "统计甲", "review", "审核"));
        // 乙: no applicant step (numbered when it starts), 市公安局 checks within 1 working day.
        var b = UniqueId("stat-b");
        await PublishAsync(Named(new DefinitionBuilder(b).Add("start", "Start")
            .UserTask("check", Role(Roles.DepartmentAdmin, "orgUnit", TestOrganization.PublicSecurity), sla: new() { ["workingDays"] = 1 })
            .Add("end", "End").Chain("start", "check").Connect("check:Approve", "end").Build(), "统计乙", "check", "核查"));

        // A5: submitted Fri 29 May (received in May), review due Tue 2 June, decided Mon 1 June: finished in June on time, 1 working day.
        var a5 = await SubmitAsync(a, At(5, 29, 10));
        await DecideAsync(a5, "review", "rsj.admin", At(6, 1, 11));
        // A1: submitted Mon 1 June, due Wed 3 June, decided Tue 2 June: on time, 1 working day.
        var a1 = await SubmitAsync(a, At(6, 1, 10));
        await DecideAsync(a1, "review", "rsj.admin", At(6, 2, 15));
        // A2: submitted Tue 2 June, due Thu 4 June, decided Mon 8 June: late, 4 working days (3, 4, 5 and 8 June).
        var a2 = await SubmitAsync(a, At(6, 2, 9));
        // A4: a draft, never submitted: not received.
        Clock.Set(At(6, 3, 9));
        await StartAsAsync(a, "yx.applicant");
        // A3: submitted Fri 5 June, due Tue 9 June, still open: overdue now.
        await SubmitAsync(a, At(6, 5, 10));
        await DecideAsync(a2, "review", "rsj.admin", At(6, 8, 9));
        // B1: started Wed 10 June, due Thu 11 June, decided Fri 12 June: late, 2 working days.
        Clock.Set(At(6, 10, 10));
        var b1 = (await StartAsAsync(b, "yx.applicant")).InstanceId;
        // B2: started Fri 12 June, due Mon 15 June at the end of the day: open, not yet overdue at 10:00 that day.
        Clock.Set(At(6, 12, 9));
        await StartAsAsync(b, "yx.applicant");
        await DecideAsync(b1, "check", "gaj.admin", At(6, 12, 10));
        Clock.Set(At(6, 15, 10));

        var statistics = Services.GetRequiredService<CaseStatistics>();
        var june = await statistics.ReportAsync(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30));

        using (Assert.EnterMultipleScope())
        {
            // Received A1 A2 A3 B1 B2; finished A5 A1 A2 B1, on time A5 A1; handling days 1 + 1 + 4 + 2 over 4.
            Assert.That(june.Totals, Is.EqualTo(new CaseFigures(5, 4, 2, 0.5, 2.0, 4, 2, 1)));
            var byProcess = june.ByProcess.ToDictionary(p => p.DefinitionId);
            Assert.That(byProcess[a].ProcessName, Is.EqualTo("统计甲"));
            Assert.That(byProcess[a].Figures, Is.EqualTo(new CaseFigures(3, 3, 2, 0.6667, 2.0, 3, 1, 1)));
            Assert.That(byProcess[b].Figures, Is.EqualTo(new CaseFigures(2, 1, 0, 0.0, 2.0, 1, 1, 0)));
            Assert.That(june.OverdueByUnit, Is.EqualTo(new[]
            {
                new UnitOverdueFigures(TestOrganization.HumanResources, "市人力资源和社会保障局", 3, 1, 1),
                new UnitOverdueFigures(TestOrganization.PublicSecurity, "市公安局", 1, 1, 0),
            }));
            Assert.That(june.OverdueByStep, Is.EqualTo(new[]
            {
                new StepOverdueFigures(a, "统计甲", "review", "审核", 3, 1, 1),
                new StepOverdueFigures(b, "统计乙", "check", "核查", 1, 1, 0),
            }));
            Assert.That(june.TrendUnit, Is.EqualTo("day"));
            Assert.That(june.Trend, Has.Count.EqualTo(30));
            Assert.That(june.Trend.Where(p => p.Received + p.Finished > 0), Is.EqualTo(new[]
            {
                new TrendPoint("2026-06-01", 1, 1), new TrendPoint("2026-06-02", 1, 1), new TrendPoint("2026-06-05", 1, 0),
                new TrendPoint("2026-06-08", 0, 1), new TrendPoint("2026-06-10", 1, 0), new TrendPoint("2026-06-12", 1, 1),
            }));
        }

        // May: A5 received, nothing finished, no step decided; A3 is overdue whatever the period (now).
        var may = await statistics.ReportAsync(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31));
        Assert.That(may.Totals, Is.EqualTo(new CaseFigures(1, 0, 0, null, null, 0, 0, 1)));
        // A year is charted per month.
        var year = await statistics.ReportAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        Assert.That((year.TrendUnit, year.Trend.Count), Is.EqualTo(("month", 12)));
        Assert.That(year.Trend.Single(p => p.Label == "2026-06"), Is.EqualTo(new TrendPoint("2026-06", 5, 4)));

        var (headers, rows) = june.Table();
        var csv = TabularFile.Csv(headers, rows);
        var lines = Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("分类,名称,收件数,办结数,按时办结数,按时办结率,平均办理时长（工作日）,期间已办环节数,其中超期办结,当前超期未办"));
        Assert.That(lines, Does.Contain("合计,2026-06-01 至 2026-06-30,5,4,2,50.0%,2,4,2,1"));
        Assert.That(lines, Does.Contain("流程,统计甲,3,3,2,66.7%,2,3,1,1"));
        Assert.That(lines, Does.Contain("办理单位,市人力资源和社会保障局,,,,,,3,1,1"));
        Assert.That(lines, Does.Contain("环节,统计乙 · 核查,,,,,,1,1,0"));
    }

    private static PdsWorkflow.Workflows.Definitions.WorkflowDefinition Named(PdsWorkflow.Workflows.Definitions.WorkflowDefinition definition, string name, string stepId, string stepName)
    {
        definition.Name = name;
        definition.Root.Activities.Single(n => n.Id == stepId).Name = stepName;
        return definition;
    }

    /// <summary>Starts a case of <paramref name="definitionId"/> as yx.applicant and submits it at <paramref name="at"/>.</summary>
    private async Task<Guid> SubmitAsync(string definitionId, DateTimeOffset at)
    {
        Clock.Set(at);
        var run = await StartAsAsync(definitionId, "yx.applicant");
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(run.InstanceId, "submit")).Id, "yx.applicant", "提交"));
        return run.InstanceId;
    }

    private async Task DecideAsync(Guid instance, string step, string user, DateTimeOffset at)
    {
        Clock.Set(at);
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, step)).Id, user, "同意"));
    }
}
